data = pickle.loads(blob)  # want: AUR308
config = yaml.load(stream)  # want: AUR308
config = yaml.load(stream, Loader=yaml.SafeLoader)
config = yaml.safe_load(stream)
data = json.loads(blob)
