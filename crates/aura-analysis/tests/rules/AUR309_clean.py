import defusedxml.ElementTree as ET
tree = ET.parse(upload)
