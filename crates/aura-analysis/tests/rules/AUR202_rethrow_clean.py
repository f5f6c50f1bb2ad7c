def write(path, data):
    try:
        f = open(path, "w")
        f.write(data)
    except:
        cleanup(path)
        raise
