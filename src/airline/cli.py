"""The `airline` command.

airline up                 the whole platform (embedded servers unless configured)
airline serve <service>    one service alone: what a Kubernetes pod runs
airline migrate [service]  apply migrations (all services by default)
airline seed               load the seed scenario into running services (idempotent)
airline simulate           drive the seed's main flow through the REST API and check it
airline events replay --service S [--topic T] [--since ISO] [--dry-run]
                           re-deliver the events S's consumer parked as dead letters
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import warnings
from datetime import UTC, datetime

from airline.platform.settings import SERVICES, PlatformSettings

warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")


def _settings(args: argparse.Namespace) -> PlatformSettings:
    overrides = {}
    if getattr(args, "data_dir", None):
        overrides["data_dir"] = args.data_dir
    return PlatformSettings(**overrides)


def cmd_up(args: argparse.Namespace) -> int:
    import os

    # the supervisor forks children while gRPC threads run; gRPC's fork handlers are not needed
    # (children exec at once) and would only warn
    os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")
    from airline.gateway.settings import GatewaySettings
    from airline.platform.logging import setup_logging
    from airline.platform.supervisor import run_up

    settings = _settings(args)
    setup_logging("airline-up", settings.log_level, json=False)
    gateway = GatewaySettings()
    return asyncio.run(run_up(settings, args.host or gateway.host, args.port or gateway.port))


def cmd_serve(args: argparse.Namespace) -> int:
    from airline.platform.logging import setup_logging
    from airline.platform.metrics import serve_metrics
    from airline.platform.tracing import setup_tracing

    settings = _settings(args)
    setup_logging(args.service, settings.log_level, settings.log_json)
    setup_tracing(args.service, settings.tracing_exporter)
    if args.service == "gateway":
        from airline.gateway.serve import serve

        serve(settings)  # the client address comes from the trusted proxy hops, never uvicorn
        return 0
    serve_metrics(settings.metrics_port, settings.grpc_bind_host)  # a pod's metrics are scraped from outside
    from airline.platform.runtime import run_process

    return run_process(_serve_service(args.service, settings))


async def _serve_service(name: str, settings: PlatformSettings) -> int:
    from airline.platform.runtime import definition_of, start_service

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    running = await start_service(definition_of(name), settings)
    await stop.wait()
    await running.stop()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from airline.platform.migrations import upgrade
    from airline.platform.runtime import definition_of

    settings = _settings(args)
    url = settings.require("database_url")
    for name in args.services or SERVICES:
        d = definition_of(name)
        upgrade(d.migrations_package, url, d.metadata.schema)
        print(f"{name}: migrated")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from airline.seed import seed

    accounts = asyncio.run(seed(_settings(args)))
    for role, email, password in accounts:
        print(f"{role:<10} {email:<28} {password}")
    return 0


def _account(value: str) -> tuple[str, str]:
    email, sep, password = value.partition(":")
    if not sep or not email or not password:
        raise argparse.ArgumentTypeError("expected EMAIL:PASSWORD")
    return email, password


def cmd_simulate(args: argparse.Namespace) -> int:
    from airline.simulate import main as simulate

    credentials = {"ops": args.ops, "agent": args.agent, "admin": args.admin}
    return asyncio.run(
        simulate(args.api, args.passengers, args.destination.upper(), args.seed, args.json, credentials, args.scene)
    )


def _since(value: str) -> datetime:

    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError("expected an ISO 8601 time, e.g. 2026-12-05T06:00:00Z") from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def cmd_events_replay(args: argparse.Namespace) -> int:
    import logging

    from airline.platform.db import ServiceDatabase, make_engine
    from airline.platform.dead_letters import replay
    from airline.platform.logging import setup_logging
    from airline.platform.runtime import definition_of

    settings = _settings(args)
    setup_logging("airline-events", settings.log_level, json=False)
    logging.getLogger("airline.platform.dead_letters").setLevel(logging.INFO)
    definition = definition_of(args.service)

    async def run() -> int:
        engine = make_engine(settings.require("database_url"), pool_size=1)
        try:
            db = ServiceDatabase(engine, definition.metadata, producer=definition.name)
            done = await replay(db, definition.name, topic=args.topic, since=args.since, dry_run=args.dry_run)
        finally:
            await engine.dispose()
        verb = "would replay" if args.dry_run else "replayed"
        for r in done.replayed:
            print(f"{verb} dead letter {r['id']}: {r['topic']} event {r['event_id']} (parked {r['parked_at']})")
        for r in done.unreadable:
            print(f"left parked dead letter {r['id']}: {r['topic']} unreadable envelope ({r['reason']})")
        print(f"{args.service}: {verb} {len(done.replayed)} dead letter(s), {len(done.unreadable)} unreadable")
        return 0

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="airline", description="The airline platform")
    parser.add_argument("--data-dir", help="where embedded servers keep data (default .airline/)")
    sub = parser.add_subparsers(dest="command", required=True)

    up = sub.add_parser("up", help="run the whole platform")
    up.add_argument("--host", help="gateway host (default 127.0.0.1)")
    up.add_argument("--port", type=int, help="gateway port (default 8000)")
    up.set_defaults(func=cmd_up)

    serve = sub.add_parser("serve", help="run one service")
    serve.add_argument("service", choices=[*SERVICES, "gateway"])
    serve.set_defaults(func=cmd_serve)

    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("services", nargs="*", choices=[[], *SERVICES], default=[])
    migrate.set_defaults(func=cmd_migrate)

    seed = sub.add_parser("seed", help="load the seed scenario into running services")
    seed.set_defaults(func=cmd_seed)

    sim = sub.add_parser(
        "simulate",
        help="drive the main flow (book, SMS, check-in, bags, boarding, arrival) "
        "through the REST API; exit 1 on any inconsistency",
    )
    sim.add_argument("--api", default="http://127.0.0.1:8000", help="the gateway (default %(default)s)")
    sim.add_argument(
        "--passengers",
        type=int,
        default=6,
        help="how many passengers (default %(default)s; the week: per out-and-back)",
    )
    sim.add_argument("--destination", default="AOR", help="round trip from XSP to here (default %(default)s)")
    sim.add_argument("--seed", type=int, help="random seed, to replay the same passengers and bags")
    sim.add_argument(
        "--scene",
        choices=("day", "disruption", "all", "week"),
        default="day",
        help="day: the main flow (default); disruption: on flights of its own, a delay, a gate change and a "
        "cancellation with re-accommodation, refund and compensation, checked; all: both; week: the seed's "
        "week (42 flights, its crew) at a base of its own, rostered in one run and played in compressed time "
        "(--passengers per out-and-back; needs the simulation clock, on in local mode)",
    )
    sim.add_argument("--json", action="store_true", help="print the summary as JSON")
    for role, password in (("ops", "ops-demo-pass"), ("agent", "agent-demo-pass"), ("admin", "admin-local-only")):
        sim.add_argument(
            f"--{role}",
            type=_account,
            default=(f"{role}@airline.local", password),
            metavar="EMAIL:PASSWORD",
            help=f"the {role} account (default: the local demo account)",
        )
    sim.set_defaults(func=cmd_simulate)

    events = sub.add_parser("events", help="operate on events")
    events_sub = events.add_subparsers(dest="events_command", required=True)
    rp = events_sub.add_parser(
        "replay",
        help="re-deliver a service's dead letters through its outbox "
        "(each is removed from dead_letters in the same transaction)",
    )
    rp.add_argument("--service", required=True, choices=SERVICES, help="whose dead letters")
    rp.add_argument("--topic", help="only events of this topic")
    rp.add_argument("--since", type=_since, help="only events parked at or after this ISO time")
    rp.add_argument("--dry-run", action="store_true", help="list what would be replayed; change nothing")
    rp.set_defaults(func=cmd_events_replay)

    args = parser.parse_args(argv)
    sys.exit(args.func(args))
