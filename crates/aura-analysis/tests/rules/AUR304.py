os.system("rm -rf " + path)  # want: AUR304
subprocess.run(f"convert {src} out.png", shell=True)  # want: AUR304
subprocess.run(["convert", src, "out.png"])
os.system("ls")
