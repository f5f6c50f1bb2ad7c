def f(x):
    print(x)  # want: AUR209
    log.info(x)
