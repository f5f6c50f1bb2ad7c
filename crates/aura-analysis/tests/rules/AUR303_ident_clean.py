# Identifiers quoted into the SQL, values passed as parameters.
def rows(conn, table, column, value):
    return conn.execute(f'SELECT * FROM "{table}" WHERE "{column}" = ?', (value,)).fetchall()


def count(cur, schema, key):
    cur.execute("SELECT count(*) FROM `%s`.items WHERE key = %%s" % schema, [key])
