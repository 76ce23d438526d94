"""Reading an attribute that no object in the chain has."""


class Account:
    def __init__(self, owner):
        self.owner = owner


acct = Account("ann")
print(acct.owner)
print(acct.zzzzzzzzzz)
