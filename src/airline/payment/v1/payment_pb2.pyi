import datetime

from airline.common.v1 import payment_method_pb2 as _payment_method_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BankTransfer(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class VoucherRedemption(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class AuthorisePaymentRequest(_message.Message):
    __slots__ = ("idempotency_key", "reference", "amount", "currency", "card", "e_wallet", "bank_transfer", "voucher", "capture", "on_behalf_of", "voucher_part")
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    CARD_FIELD_NUMBER: _ClassVar[int]
    E_WALLET_FIELD_NUMBER: _ClassVar[int]
    BANK_TRANSFER_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_FIELD_NUMBER: _ClassVar[int]
    CAPTURE_FIELD_NUMBER: _ClassVar[int]
    ON_BEHALF_OF_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_PART_FIELD_NUMBER: _ClassVar[int]
    idempotency_key: str
    reference: str
    amount: int
    currency: str
    card: _payment_method_pb2.Card
    e_wallet: _payment_method_pb2.EWallet
    bank_transfer: BankTransfer
    voucher: VoucherRedemption
    capture: bool
    on_behalf_of: str
    voucher_part: _payment_method_pb2.VoucherPart
    def __init__(self, idempotency_key: _Optional[str] = ..., reference: _Optional[str] = ..., amount: _Optional[int] = ..., currency: _Optional[str] = ..., card: _Optional[_Union[_payment_method_pb2.Card, _Mapping]] = ..., e_wallet: _Optional[_Union[_payment_method_pb2.EWallet, _Mapping]] = ..., bank_transfer: _Optional[_Union[BankTransfer, _Mapping]] = ..., voucher: _Optional[_Union[VoucherRedemption, _Mapping]] = ..., capture: _Optional[bool] = ..., on_behalf_of: _Optional[str] = ..., voucher_part: _Optional[_Union[_payment_method_pb2.VoucherPart, _Mapping]] = ...) -> None: ...

class AuthorisePaymentResponse(_message.Message):
    __slots__ = ("payment", "replayed")
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    replayed: bool
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class Refund(_message.Message):
    __slots__ = ("id", "amount", "reason", "created_at", "voucher_amount")
    ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    amount: int
    reason: str
    created_at: _timestamp_pb2.Timestamp
    voucher_amount: int
    def __init__(self, id: _Optional[str] = ..., amount: _Optional[int] = ..., reason: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., voucher_amount: _Optional[int] = ...) -> None: ...

class Payment(_message.Message):
    __slots__ = ("id", "reference", "owner", "method", "status", "amount", "currency", "captured_amount", "refunded_amount", "card_brand", "card_last4", "card_exp_month", "card_exp_year", "wallet_provider", "wallet_account", "voucher_code", "transfer_reference", "failure_code", "failure_message", "next_action", "refunds", "created_at", "updated_at", "origin", "voucher_amount", "voucher_refunded_amount")
    ID_FIELD_NUMBER: _ClassVar[int]
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    OWNER_FIELD_NUMBER: _ClassVar[int]
    METHOD_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    CAPTURED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REFUNDED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CARD_BRAND_FIELD_NUMBER: _ClassVar[int]
    CARD_LAST4_FIELD_NUMBER: _ClassVar[int]
    CARD_EXP_MONTH_FIELD_NUMBER: _ClassVar[int]
    CARD_EXP_YEAR_FIELD_NUMBER: _ClassVar[int]
    WALLET_PROVIDER_FIELD_NUMBER: _ClassVar[int]
    WALLET_ACCOUNT_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_CODE_FIELD_NUMBER: _ClassVar[int]
    TRANSFER_REFERENCE_FIELD_NUMBER: _ClassVar[int]
    FAILURE_CODE_FIELD_NUMBER: _ClassVar[int]
    FAILURE_MESSAGE_FIELD_NUMBER: _ClassVar[int]
    NEXT_ACTION_FIELD_NUMBER: _ClassVar[int]
    REFUNDS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    UPDATED_AT_FIELD_NUMBER: _ClassVar[int]
    ORIGIN_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    VOUCHER_REFUNDED_AMOUNT_FIELD_NUMBER: _ClassVar[int]
    id: str
    reference: str
    owner: str
    method: str
    status: str
    amount: int
    currency: str
    captured_amount: int
    refunded_amount: int
    card_brand: str
    card_last4: str
    card_exp_month: int
    card_exp_year: int
    wallet_provider: str
    wallet_account: str
    voucher_code: str
    transfer_reference: str
    failure_code: str
    failure_message: str
    next_action: str
    refunds: _containers.RepeatedCompositeFieldContainer[Refund]
    created_at: _timestamp_pb2.Timestamp
    updated_at: _timestamp_pb2.Timestamp
    origin: str
    voucher_amount: int
    voucher_refunded_amount: int
    def __init__(self, id: _Optional[str] = ..., reference: _Optional[str] = ..., owner: _Optional[str] = ..., method: _Optional[str] = ..., status: _Optional[str] = ..., amount: _Optional[int] = ..., currency: _Optional[str] = ..., captured_amount: _Optional[int] = ..., refunded_amount: _Optional[int] = ..., card_brand: _Optional[str] = ..., card_last4: _Optional[str] = ..., card_exp_month: _Optional[int] = ..., card_exp_year: _Optional[int] = ..., wallet_provider: _Optional[str] = ..., wallet_account: _Optional[str] = ..., voucher_code: _Optional[str] = ..., transfer_reference: _Optional[str] = ..., failure_code: _Optional[str] = ..., failure_message: _Optional[str] = ..., next_action: _Optional[str] = ..., refunds: _Optional[_Iterable[_Union[Refund, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., updated_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., origin: _Optional[str] = ..., voucher_amount: _Optional[int] = ..., voucher_refunded_amount: _Optional[int] = ...) -> None: ...

class CompleteChallengeRequest(_message.Message):
    __slots__ = ("payment_id", "code")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    code: str
    def __init__(self, payment_id: _Optional[str] = ..., code: _Optional[str] = ...) -> None: ...

class GetPaymentRequest(_message.Message):
    __slots__ = ("payment_id",)
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    def __init__(self, payment_id: _Optional[str] = ...) -> None: ...

class ListPaymentsRequest(_message.Message):
    __slots__ = ("reference",)
    REFERENCE_FIELD_NUMBER: _ClassVar[int]
    reference: str
    def __init__(self, reference: _Optional[str] = ...) -> None: ...

class ListPaymentsResponse(_message.Message):
    __slots__ = ("payments",)
    PAYMENTS_FIELD_NUMBER: _ClassVar[int]
    payments: _containers.RepeatedCompositeFieldContainer[Payment]
    def __init__(self, payments: _Optional[_Iterable[_Union[Payment, _Mapping]]] = ...) -> None: ...

class CapturePaymentRequest(_message.Message):
    __slots__ = ("payment_id", "amount")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    amount: int
    def __init__(self, payment_id: _Optional[str] = ..., amount: _Optional[int] = ...) -> None: ...

class VoidPaymentRequest(_message.Message):
    __slots__ = ("payment_id",)
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    def __init__(self, payment_id: _Optional[str] = ...) -> None: ...

class RefundPaymentRequest(_message.Message):
    __slots__ = ("payment_id", "amount", "reason", "idempotency_key")
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    amount: int
    reason: str
    idempotency_key: str
    def __init__(self, payment_id: _Optional[str] = ..., amount: _Optional[int] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class RefundPaymentResponse(_message.Message):
    __slots__ = ("payment", "refund", "replayed")
    PAYMENT_FIELD_NUMBER: _ClassVar[int]
    REFUND_FIELD_NUMBER: _ClassVar[int]
    REPLAYED_FIELD_NUMBER: _ClassVar[int]
    payment: Payment
    refund: Refund
    replayed: bool
    def __init__(self, payment: _Optional[_Union[Payment, _Mapping]] = ..., refund: _Optional[_Union[Refund, _Mapping]] = ..., replayed: _Optional[bool] = ...) -> None: ...

class ConfirmBankTransferRequest(_message.Message):
    __slots__ = ("payment_id",)
    PAYMENT_ID_FIELD_NUMBER: _ClassVar[int]
    payment_id: str
    def __init__(self, payment_id: _Optional[str] = ...) -> None: ...

class IssueVoucherRequest(_message.Message):
    __slots__ = ("amount", "currency", "reason", "idempotency_key")
    AMOUNT_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    IDEMPOTENCY_KEY_FIELD_NUMBER: _ClassVar[int]
    amount: int
    currency: str
    reason: str
    idempotency_key: str
    def __init__(self, amount: _Optional[int] = ..., currency: _Optional[str] = ..., reason: _Optional[str] = ..., idempotency_key: _Optional[str] = ...) -> None: ...

class GetVoucherRequest(_message.Message):
    __slots__ = ("code",)
    CODE_FIELD_NUMBER: _ClassVar[int]
    code: str
    def __init__(self, code: _Optional[str] = ...) -> None: ...

class Voucher(_message.Message):
    __slots__ = ("code", "amount_issued", "balance", "currency", "reason", "expires_at")
    CODE_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_ISSUED_FIELD_NUMBER: _ClassVar[int]
    BALANCE_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    code: str
    amount_issued: int
    balance: int
    currency: str
    reason: str
    expires_at: _timestamp_pb2.Timestamp
    def __init__(self, code: _Optional[str] = ..., amount_issued: _Optional[int] = ..., balance: _Optional[int] = ..., currency: _Optional[str] = ..., reason: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...
