"""int() of a string that is not a number."""
for text in ["12", "-7", "twelve"]:
    print(text, int(text) * 2)
