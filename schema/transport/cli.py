"""The `trainyard` command: migrate, serve, demo, schema, and the operator commands (tokens,
people: schema.transport.operators)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
from collections.abc import Sequence

from schema.transport.operators import CommandError, add_operator_commands
from services.core.db import (
    UNAVAILABLE_MESSAGE,
    DatabaseNotMigratedError,
    create_engine,
    ensure_migrated,
    is_unavailable,
    upgrade_to_head,
)
from services.core.settings import Settings, SettingsError, load_settings


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(host=getattr(args, "host", None), port=getattr(args, "port", None))


async def _check_migrated(settings: Settings) -> None:
    engine = create_engine(settings)
    try:
        await ensure_migrated(engine, settings)
    finally:
        await engine.dispose()


def tune_gc() -> None:
    """Tune the collector for a request-serving process.

    A board response builds ~10,000 short-lived objects; with CPython's default young
    threshold (700) that triggers hundreds of collections per request, each also scanning the
    long-lived schema and framework objects. Freezing what start-up built and raising the young
    threshold keeps collection for the garbage that needs it.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


# The web stack and the schema take seconds to import: only the commands that use them load
# them, so `trainyard migrate`, `token` and `person` start at once (the imports below are local).


def _serve(settings: Settings) -> None:
    import uvicorn  # noqa: PLC0415  # web stack, for serving only (see above)

    from schema.transport.app import create_app  # noqa: PLC0415  # as above

    asyncio.run(_check_migrated(settings))
    app = create_app(settings)
    tune_gc()
    print(f"Trainyard on http://{settings.host}:{settings.port}/  (GraphiQL at /graphql)")
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="info")


def cmd_migrate(args: argparse.Namespace) -> int:
    settings = _settings(args)
    upgrade_to_head(settings.database_url)
    print(f"Database {settings.redacted_database_url()} is at the latest schema.")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    _serve(_settings(args))
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from services.demo import seed_demo  # noqa: PLC0415  # every use case, for seeding only

    settings = _settings(args)
    upgrade_to_head(settings.database_url)
    summary = asyncio.run(seed_demo(settings))
    print(summary)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    cmd_seed(args)
    _serve(_settings(args))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from schema.build import SDL_PATH, export_sdl  # noqa: PLC0415  # the schema, for export only

    sdl = export_sdl()
    if args.check:
        if not SDL_PATH.exists() or SDL_PATH.read_text() != sdl:
            print(f"{SDL_PATH} is stale: run `make schema` and commit it.", file=sys.stderr)
            return 1
        print(f"{SDL_PATH} is up to date.")
        return 0
    if args.stdout:
        sys.stdout.write(sdl)
    else:
        SDL_PATH.write_text(sdl)
        print(f"Wrote {SDL_PATH}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainyard",
        description="Trainyard: program refinement for SAFe Agile Release Trains. "
        "Configuration comes from TRAINYARD_* environment variables "
        "(TRAINYARD_DATABASE_URL, default sqlite+aiosqlite:///./trainyard.db).",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def with_address(p: argparse.ArgumentParser) -> None:
        p.add_argument("--host", help="Interface to listen on (default 127.0.0.1).")
        p.add_argument("--port", type=int, help="Port to listen on (default 8000).")

    migrate = commands.add_parser("migrate", help="Create or upgrade the database schema.")
    migrate.set_defaults(run=cmd_migrate)
    serve = commands.add_parser("serve", help="Serve the API and web app.")
    with_address(serve)
    serve.set_defaults(run=cmd_serve)
    demo = commands.add_parser("demo", help="Migrate, seed the demo ART (idempotent) and serve it.")
    with_address(demo)
    demo.set_defaults(run=cmd_demo)
    seed = commands.add_parser("seed", help="Migrate and seed the demo ART without serving.")
    seed.set_defaults(run=cmd_seed)
    add_operator_commands(commands)
    sdl = commands.add_parser("schema", help="Export the GraphQL SDL to schema/schema.graphql.")
    sdl.add_argument("--check", action="store_true", help="Fail when the committed SDL is stale.")
    sdl.add_argument("--stdout", action="store_true", help="Print instead of writing the file.")
    sdl.set_defaults(run=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.run(args))
    except (SettingsError, DatabaseNotMigratedError, CommandError) as exc:
        print(f"trainyard: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:
        if not is_unavailable(exc):
            raise
        print(f"trainyard: {UNAVAILABLE_MESSAGE} ({type(exc).__name__}: {exc})", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
