"""Seat holds in Redis: hot, ephemeral, and freed by Redis itself when their time is up.

Keys (one Redis; the scripts touch keys they compute, so this is not Redis Cluster ready):
- `reservation:seat:<flight>:<seat>` -> the hold id, with a PX TTL: the seat is held while it exists;
- `reservation:hold:<hold id>` -> hash {flight, owner, seats (JSON), labels, expires_at, created_at}
  (ms since the epoch, Redis's clock); it outlives the hold for a while so that a late
  confirmation can still find what was held;
- `reservation:account-holds:<flight>:<account>` -> sorted set "<seats>|<hold id>" by expires_at:
  what one account holds on one flight right now (the per-account seat limit counts it);
- `reservation:hold-expiries` -> sorted set hold id by expires_at, which the sweeper reads to
  tell live seat maps that an expired hold's seats are free again.

Every change is one Lua script, so "all seats or none" holds under any concurrency, and every
time comes from Redis's own clock (TIME), so replicas never disagree about expiry.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from redis.asyncio import Redis

from airline.reservation.domain import Hold, SeatRequest

SEAT_PREFIX = "reservation:seat:"
HOLD_PREFIX = "reservation:hold:"
ACCOUNT_PREFIX = "reservation:account-holds:"
EXPIRIES = "reservation:hold-expiries"

_NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS: hold, expiries, account holds, seat keys...
# ARGV: hold id, ttl ms, keep ms (how long the record outlives the hold), flight, owner, seats json, labels csv,
#       account, seat limit per account (0 = none), not_after ms (0 = none)
# The account's holds on the flight: a sorted set of "<seats>|<hold id>" by expires_at, so that
# counting what an account holds and adding to it is one atomic step.
HOLD = (
    _NOW
    + """
if redis.call('EXISTS', KEYS[1]) == 1 then
  return {'exists', tostring(now)}
end
local busy = {}
for i = 4, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then busy[#busy + 1] = KEYS[i] end
end
if #busy > 0 then
  table.insert(busy, 1, 'busy')
  return busy
end
local wanted = #KEYS - 3
local limit = tonumber(ARGV[9])
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if limit > 0 then
  local held = 0
  for _, m in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do
    held = held + tonumber(string.match(m, '^(%d+)|'))
  end
  if held + wanted > limit then return {'limit', tostring(held)} end
end
local expires = now + tonumber(ARGV[2])
local not_after = tonumber(ARGV[10])
if not_after > 0 and not_after < expires then expires = not_after end
if expires <= now then return {'late', tostring(now)} end
local ttl = expires - now
for i = 4, #KEYS do redis.call('SET', KEYS[i], ARGV[1], 'PX', ttl) end
local member = tostring(wanted) .. '|' .. ARGV[1]
redis.call('HSET', KEYS[1], 'flight', ARGV[4], 'owner', ARGV[5], 'seats', ARGV[6], 'labels', ARGV[7],
           'expires_at', expires, 'created_at', now, 'account', ARGV[8], 'account_key', KEYS[3],
           'account_member', member, 'not_after', not_after)
redis.call('PEXPIRE', KEYS[1], ttl + tonumber(ARGV[3]))
redis.call('ZADD', KEYS[2], expires, ARGV[1])
redis.call('ZADD', KEYS[3], expires, member)
if redis.call('PTTL', KEYS[3]) < ttl then redis.call('PEXPIRE', KEYS[3], ttl) end
return {'held', tostring(now), tostring(expires)}
"""
)

# KEYS: hold, expiries, seat keys...  ARGV: hold id, ttl ms, max lifetime ms, keep ms, a later not_after ms (0: none)
# Never past the hold's not_after (the booking's own expiry), if it has one; a later not_after
# (the booking kept longer) replaces it first.
EXTEND = (
    _NOW
    + """
local h = redis.call('HMGET', KEYS[1], 'expires_at', 'created_at', 'not_after', 'account_key', 'account_member')
if not h[1] then return {'missing'} end
local current = tonumber(h[1])
if current <= now then return {'expired'} end
for i = 3, #KEYS do
  if redis.call('GET', KEYS[i]) ~= ARGV[1] then return {'lost'} end
end
local expires = math.min(now + tonumber(ARGV[2]), tonumber(h[2]) + tonumber(ARGV[3]))
local not_after = tonumber(h[3] or '0')
local later = tonumber(ARGV[5] or '0')
if not_after > 0 and later > not_after then
  not_after = later
  redis.call('HSET', KEYS[1], 'not_after', later)
end
if not_after > 0 and not_after < expires then expires = not_after end
if expires < current then expires = current end
local ttl = expires - now
for i = 3, #KEYS do redis.call('PEXPIRE', KEYS[i], ttl) end
redis.call('HSET', KEYS[1], 'expires_at', expires)
redis.call('PEXPIRE', KEYS[1], ttl + tonumber(ARGV[4]))
redis.call('ZADD', KEYS[2], expires, ARGV[1])
if h[4] then
  redis.call('ZADD', h[4], 'XX', expires, h[5])
  if redis.call('PTTL', h[4]) < ttl then redis.call('PEXPIRE', h[4], ttl) end
end
return {'ok', tostring(expires)}
"""
)

# KEYS: hold, expiries, seat keys...  ARGV: hold id, labels...   -> the labels freed
RELEASE = """
local freed = {}
for i = 3, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then
    redis.call('DEL', KEYS[i])
    freed[#freed + 1] = ARGV[i - 1]
  end
end
local acc = redis.call('HMGET', KEYS[1], 'account_key', 'account_member')
if acc[1] then redis.call('ZREM', acc[1], acc[2]) end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return freed
"""

# KEYS: seat keys...  ARGV: token, ttl ms, labels...
# Takes every seat that is free or already the token's, or none: -> {'ok', newly taken...} | {'busy', ...}
CLAIM = """
local busy = {}
for i = 1, #KEYS do
  local v = redis.call('GET', KEYS[i])
  if v and v ~= ARGV[1] then busy[#busy + 1] = ARGV[i + 2] end
end
if #busy > 0 then
  table.insert(busy, 1, 'busy')
  return busy
end
local taken = {'ok'}
for i = 1, #KEYS do
  if redis.call('SET', KEYS[i], ARGV[1], 'PX', tonumber(ARGV[2]), 'NX') then taken[#taken + 1] = ARGV[i + 2] end
end
return taken
"""

# KEYS: seat keys...  ARGV: token   -> drops the seats the token still has
UNCLAIM = """
local n = 0
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]); n = n + 1 end
end
return n
"""

# KEYS: expiries  ARGV: limit, hold prefix, seat prefix
# -> flat list: hold id, flight, freed labels csv, ... for each hold whose time is up
SWEEP = (
    _NOW
    + """
-- strictly past: a key whose expiry time is exactly now still exists for Redis
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - 1, 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
for _, id in ipairs(ids) do
  redis.call('ZREM', KEYS[1], id)
  local h = redis.call('HMGET', ARGV[2] .. id, 'flight', 'labels')
  if h[1] then
    local freed = {}
    for seat in string.gmatch(h[2], '[^,]+') do
      -- still there: taken by another hold since, or claimed by a late confirmation
      if redis.call('EXISTS', ARGV[3] .. h[1] .. ':' .. seat) == 0 then freed[#freed + 1] = seat end
    end
    out[#out + 1] = id
    out[#out + 1] = h[1]
    out[#out + 1] = table.concat(freed, ',')
  end
end
return out
"""
)


def seat_key(flight_id: str, seat: str) -> str:
    return f"{SEAT_PREFIX}{flight_id}:{seat}"


def account_key(flight_id: str, account: str) -> str:
    return f"{ACCOUNT_PREFIX}{flight_id}:{account}"


def hold_key(hold_id: str) -> str:
    return f"{HOLD_PREFIX}{hold_id}"


def _ms(value: Any) -> datetime:
    return datetime.fromtimestamp(int(value) / 1000, tz=UTC)


def _s(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(frozen=True)
class HoldOutcome:
    status: str  # held | exists | busy | limit | late
    busy: tuple[str, ...] = ()  # seat labels already held
    now: datetime | None = None
    expires_at: datetime | None = None
    account_held: int = 0  # for `limit`: seats the account already holds on the flight


@dataclass(frozen=True)
class StoredHold:
    hold: Hold
    now: datetime

    @property
    def active(self) -> bool:
        return self.hold.expires_at > self.now


@dataclass(frozen=True)
class Expired:
    hold_id: str
    flight_id: str
    freed: tuple[str, ...]


class HoldStore:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._hold = redis.register_script(HOLD)
        self._extend = redis.register_script(EXTEND)
        self._release = redis.register_script(RELEASE)
        self._claim = redis.register_script(CLAIM)
        self._unclaim = redis.register_script(UNCLAIM)
        self._sweep = redis.register_script(SWEEP)

    async def hold(
        self,
        hold_id: str,
        flight_id: str,
        owner: str,
        seats: Sequence[SeatRequest],
        ttl_ms: int,
        keep_ms: int,
        account: str = "",
        account_limit: int = 0,
        not_after: datetime | None = None,
    ) -> HoldOutcome:
        """All seats or none; refused (`limit`) when the account would hold more than
        `account_limit` seats on the flight at once; never past `not_after` (`late` when it passed)."""
        labels = [s.seat for s in seats]
        account = account or owner
        keys = [
            hold_key(hold_id),
            EXPIRIES,
            account_key(flight_id, account),
            *(seat_key(flight_id, label) for label in labels),
        ]
        payload = json.dumps([s.to_dict() for s in seats], separators=(",", ":"))
        not_after_ms = int(not_after.timestamp() * 1000) if not_after is not None else 0
        reply = await self._hold(
            keys=keys,
            args=[
                hold_id,
                ttl_ms,
                keep_ms,
                flight_id,
                owner,
                payload,
                ",".join(labels),
                account,
                account_limit,
                not_after_ms,
            ],
        )
        status = _s(reply[0])
        if status == "busy":
            prefix = seat_key(flight_id, "")
            return HoldOutcome("busy", tuple(_s(k)[len(prefix) :] for k in reply[1:]))
        if status == "limit":
            return HoldOutcome("limit", account_held=int(_s(reply[1])))
        return HoldOutcome(status, now=_ms(_s(reply[1])), expires_at=_ms(_s(reply[2])) if len(reply) > 2 else None)

    async def get(self, hold_id: str) -> StoredHold | None:
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(hold_key(hold_id))
            pipe.time()
            data, (seconds, micros) = await pipe.execute()
        if not data:
            return None
        fields = {_s(k): _s(v) for k, v in data.items()}
        seats = tuple(SeatRequest.from_dict(s) for s in json.loads(fields["seats"]))
        not_after = int(fields.get("not_after") or 0)
        hold = Hold(
            hold_id,
            fields["flight"],
            fields["owner"],
            seats,
            _ms(fields["expires_at"]),
            _ms(fields["created_at"]),
            _ms(not_after) if not_after else None,
        )
        return StoredHold(hold, datetime.fromtimestamp(seconds + micros / 1e6, tz=UTC))

    async def extend(
        self, hold: Hold, ttl_ms: int, max_lifetime_ms: int, keep_ms: int, not_after: datetime | None = None
    ) -> tuple[str, datetime | None]:
        """(status, new end): 'ok', or 'missing', 'expired', 'lost'. `not_after` moves the hold's
        bound later (never earlier); the hold still ends within `max_lifetime_ms` of its making."""
        keys = [hold_key(hold.hold_id), EXPIRIES, *(seat_key(hold.flight_id, s) for s in hold.labels)]
        later = int(not_after.timestamp() * 1000) if not_after is not None else 0
        reply = await self._extend(keys=keys, args=[hold.hold_id, ttl_ms, max_lifetime_ms, keep_ms, later])
        status = _s(reply[0])
        return status, (_ms(_s(reply[1])) if status == "ok" else None)

    async def release(self, hold: Hold) -> list[str]:
        keys = [hold_key(hold.hold_id), EXPIRIES, *(seat_key(hold.flight_id, s) for s in hold.labels)]
        return [_s(x) for x in await self._release(keys=keys, args=[hold.hold_id, *hold.labels])]

    async def claim(self, flight_id: str, labels: Sequence[str], token: str, ttl_ms: int) -> tuple[bool, list[str]]:
        """(True, seats newly taken) or (False, seats someone else holds)."""
        reply = await self._claim(keys=[seat_key(flight_id, s) for s in labels], args=[token, ttl_ms, *labels])
        return _s(reply[0]) == "ok", [_s(x) for x in reply[1:]]

    async def unclaim(self, flight_id: str, labels: Sequence[str], token: str) -> None:
        if labels:
            await self._unclaim(keys=[seat_key(flight_id, s) for s in labels], args=[token])

    async def holders(self, flight_id: str, labels: Sequence[str]) -> dict[str, str]:
        """seat -> hold id, for the seats currently held."""
        if not labels:
            return {}
        values = await self.redis.mget([seat_key(flight_id, s) for s in labels])
        return {label: _s(v) for label, v in zip(labels, values) if v is not None}

    async def owners(self, hold_ids: Sequence[str]) -> dict[str, str]:
        if not hold_ids:
            return {}
        async with self.redis.pipeline(transaction=False) as pipe:
            for h in hold_ids:
                pipe.hget(hold_key(h), "owner")
            values = await pipe.execute()
        return {h: _s(v) for h, v in zip(hold_ids, values) if v is not None}

    async def sweep(self, limit: int = 200) -> list[Expired]:
        reply = await self._sweep(keys=[EXPIRIES], args=[limit, HOLD_PREFIX, SEAT_PREFIX])
        flat = [_s(x) for x in reply]
        return [
            Expired(flat[i], flat[i + 1], tuple(s for s in flat[i + 2].split(",") if s)) for i in range(0, len(flat), 3)
        ]

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        await self.redis.publish(channel, json.dumps(message, separators=(",", ":")))
