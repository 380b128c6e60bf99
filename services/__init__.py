"""Domain and persistence: settings, database, models, migrations and one module per use-case area."""
