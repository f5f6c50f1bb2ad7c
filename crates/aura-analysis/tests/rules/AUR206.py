if value == None:  # want: AUR206
    pass
if value != None:  # want: AUR206
    pass
if value is None:
    pass
if value == 0:
    pass
