import xml.etree.ElementTree as ET
tree = ET.parse(upload)  # want: AUR309
