print("never printed: the file does not compile")
x = 1
y = x +* 2
print(y)
