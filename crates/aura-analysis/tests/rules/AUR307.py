requests.get(url, verify=False)  # want: AUR307
ctx = ssl._create_unverified_context()  # want: AUR307
requests.get(url, verify=True)
ctx.check_hostname = False  # want: AUR307
ctx.check_hostname = True
