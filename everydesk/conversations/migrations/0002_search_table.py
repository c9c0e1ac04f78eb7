"""Create the full-text search table for whichever engine the database is."""

from django.db import migrations


def create(apps, schema_editor):
    from everydesk.conversations.search import postgres, sqlite

    if schema_editor.connection.vendor == "postgresql":
        for statement in postgres.CREATE:
            schema_editor.execute(statement)
    else:
        schema_editor.execute(sqlite.CREATE)


def drop(apps, schema_editor):
    from everydesk.conversations.search import postgres, sqlite

    engine = postgres if schema_editor.connection.vendor == "postgresql" else sqlite
    schema_editor.execute(engine.DROP)


class Migration(migrations.Migration):
    dependencies = [("conversations", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
