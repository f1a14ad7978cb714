"""Storage: the schema, the engine, migrations, the demo county and imports."""
