"""Persistence: SQLAlchemy models, engine, repositories and the migration helper.

ORM objects never leave this package; services receive records from ``db.mappers``.
"""
