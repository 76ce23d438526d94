"""A user-defined exception class with a custom __str__."""


class ValidationError(Exception):
    def __init__(self, field, reason):
        super().__init__(field, reason)
        self.field = field
        self.reason = reason

    def __str__(self):
        return f"{self.field}: {self.reason}"


def validate(record):
    if record["age"] < 0:
        raise ValidationError("age", f"must be non-negative, got {record['age']}")
    print("valid", record)


validate({"age": 30})
validate({"age": -1})
