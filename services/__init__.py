"""Domain and persistence: settings, database, models, migrations, one module per area."""
