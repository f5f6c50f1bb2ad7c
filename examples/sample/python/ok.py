def greet(name: str) -> str:
    return f"héllo {name} 😀"
