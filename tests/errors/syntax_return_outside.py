print("never printed")
x = 5
if x > 3:
    return x
