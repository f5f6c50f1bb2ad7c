# A class attribute bound to the module-level name of the same name is an alias, not a no-op.
from .db import Database, Session


class Api:
    Database = Database
    Session = Session
