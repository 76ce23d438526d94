"""Adding an int and a str: TypeError for unsupported operand types."""
count = 3
label = "items"
print("count is", count)
message = count + label
print(message)
