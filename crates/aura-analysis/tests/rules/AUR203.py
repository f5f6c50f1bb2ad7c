def f(x):
    return x
    print("never")  # want: AUR203


def g(x):
    for i in x:
        if i:
            continue
        print(i)
    raise ValueError(x)
