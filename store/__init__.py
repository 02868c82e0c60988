"""The canonical store: SQLAlchemy 2.0 models, repositories, sessions and migrations.

The store imports nothing else of Shopwright's; everything else imports the store.
"""
