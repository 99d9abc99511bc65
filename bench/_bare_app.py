"""The bare FastAPI app of the trivial-read baseline (bench/booking.py): one route shaped like the
gateway's GET /api/v1/airports/{code}, answering a constant. Started with uvicorn by the benchmark."""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI()

AIRPORT = {"code": "XSP", "name": "Seletar", "city": "Singapore", "country": "SG", "time_zone": "Asia/Singapore"}


@app.get("/api/v1/airports/{code}")
async def airport(code: str) -> dict[str, str]:
    return {**AIRPORT, "code": code}
