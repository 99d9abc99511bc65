"""The printable bag tag: an SVG with the licence plate as an Interleaved 2 of 5 barcode
(python-barcode's ITF, written as SVG: no imaging library needed), the flight, the
destination and the passenger's name."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any
from xml.sax.saxutils import escape

import barcode
from barcode.writer import SVGWriter

WIDTH_MM, HEIGHT_MM = 54, 120


def barcode_svg(tag: str) -> str:
    """The bare <svg> element of the tag's ITF barcode (no XML prolog, so it nests)."""
    out = io.BytesIO()
    barcode.get("itf", tag, writer=SVGWriter()).write(
        out, options={"write_text": False, "module_height": 18.0, "module_width": 0.33, "quiet_zone": 2.0}
    )
    svg = out.getvalue().decode()
    return svg[svg.index("<svg") :]


def tag_svg(bag: Mapping[str, Any]) -> str:
    code = bag["tag"]
    bars = barcode_svg(code).replace("<svg ", '<svg x="2mm" y="30mm" ', 1)
    name = escape(f"{bag['last_name'].upper()}/{bag['first_name'].upper()}")
    text = [
        (10, 8, 9, escape(bag["destination"]), "bold"),
        (10, 15, 4, escape(f"{bag['flight_number']}  {bag['origin']} → {bag['destination']}"), "normal"),
        (10, 21, 3.5, name, "normal"),
        (10, 26, 3.5, escape(f"PNR {bag['pnr']}  {bag['weight_g'] / 1000:.1f} kg"), "normal"),
        (10, 58, 5, escape(f"{code[:4]} {code[4:]}"), "bold"),
    ]
    lines = "\n".join(
        f'  <text x="{x}mm" y="{y}mm" font-family="monospace" font-size="{size}mm" font-weight="{weight}">{t}</text>'
        for x, y, size, t, weight in text
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{WIDTH_MM}mm" height="{HEIGHT_MM}mm" '
        f'data-tag="{code}">\n'
        f'  <rect width="100%" height="100%" fill="white" stroke="black" stroke-width="0.3"/>\n'
        f"{lines}\n{bars}\n</svg>\n"
    )
