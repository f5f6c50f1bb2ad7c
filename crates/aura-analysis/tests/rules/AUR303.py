cur.execute("SELECT * FROM users WHERE name = '" + name + "'")  # want: AUR303
cur.execute(f"DELETE FROM users WHERE id = {uid}")  # want: AUR303
cur.execute("UPDATE t SET a = %s WHERE id = %s" % (a, b))  # want: AUR303
cur.execute("SELECT * FROM users WHERE name = %s", (name,))
cur.execute("SELECT 1")
