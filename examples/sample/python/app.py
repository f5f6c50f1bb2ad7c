"""A small service with a few mistakes that Aura points out."""
import json


def load(path):
    with open(path) as fh:
        return json.load(fh)


def total(items):
    return sum(item["price"] for item in items


class Cart:
    def __init__(self):
        self.items = []

    def add(self, item)
        self.items.append(item)
