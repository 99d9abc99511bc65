from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Optional as _Optional

DESCRIPTOR: _descriptor.FileDescriptor

class Card(_message.Message):
    __slots__ = ("number", "exp_month", "exp_year", "cvc", "holder")
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    EXP_MONTH_FIELD_NUMBER: _ClassVar[int]
    EXP_YEAR_FIELD_NUMBER: _ClassVar[int]
    CVC_FIELD_NUMBER: _ClassVar[int]
    HOLDER_FIELD_NUMBER: _ClassVar[int]
    number: str
    exp_month: int
    exp_year: int
    cvc: str
    holder: str
    def __init__(self, number: _Optional[str] = ..., exp_month: _Optional[int] = ..., exp_year: _Optional[int] = ..., cvc: _Optional[str] = ..., holder: _Optional[str] = ...) -> None: ...

class EWallet(_message.Message):
    __slots__ = ("provider", "account")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    provider: str
    account: str
    def __init__(self, provider: _Optional[str] = ..., account: _Optional[str] = ...) -> None: ...

class VoucherPart(_message.Message):
    __slots__ = ("code", "amount")
    CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    code: str
    amount: int
    def __init__(self, code: _Optional[str] = ..., amount: _Optional[int] = ...) -> None: ...
