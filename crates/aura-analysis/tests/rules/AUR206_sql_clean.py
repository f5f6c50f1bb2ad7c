# SQLAlchemy builds SQL from `column == None`; `is` would break the query.
def pending(session, Task):
    return session.query(Task).filter(Task.finished_at == None, Task.owner != None).all()


def stale(select, t):
    return select(t).where((t.c.deleted == None) | (t.c.flag != None))
