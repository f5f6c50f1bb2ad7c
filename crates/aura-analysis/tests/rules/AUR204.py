if fast:  # want: AUR204
    run(x)
else:
    run(x)

if fast:
    run(x)
elif slow:
    run(x)
else:
    run(y)

value = a if flag else a  # want: AUR204
other = a if flag else b
