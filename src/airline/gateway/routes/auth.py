"""Sign-up, login, who-am-I, and user administration (identity service)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import grpc
from fastapi import APIRouter, Cookie, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from airline.gateway import deps, limits
from airline.gateway.client_address import client_address
from airline.gateway.convert import timestamp_out
from airline.gateway.problems import error_responses, grpc_problem
from airline.gateway.security import require_roles, signed_in
from airline.identity.v1 import identity_pb2 as pb
from airline.identity.v1 import identity_pb2_grpc as pb_grpc
from airline.platform.auth import HUMAN_ROLES, Principal, Role

# The prefix is set here, not at include time, so the route objects carry their full template
# (metrics and span names use it).
router = APIRouter(prefix="/api/v1", tags=["auth"])

RoleName = Literal[tuple(r.value for r in HUMAN_ROLES)]  # type: ignore[valid-type]
# A light shape check; the identity service is the judge of e-mail addresses and passwords.
Email = Annotated[str, Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$", examples=["ada@example.com"])]
Password = Annotated[str, Field(min_length=1, max_length=1024, examples=["correct-horse-battery"])]
FullName = Annotated[str, Field(min_length=1, max_length=120, examples=["Ada Lovelace"])]


class SignUp(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Email
    password: Password
    full_name: FullName


class Login(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Annotated[str, Field(min_length=1, max_length=254, examples=["ada@example.com"])]
    password: Password


class NewUser(SignUp):
    role: RoleName = Field(examples=["agent"])  # type: ignore[valid-type]


class User(BaseModel):
    id: str = Field(examples=["3f2b8c1e-8d4a-4b7e-9d61-0c2f5a7e9b10"])
    email: str = Field(examples=["ada@example.com"])
    full_name: str = Field(examples=["Ada Lovelace"])
    role: str = Field(examples=["passenger"])
    created_at: datetime | None = Field(default=None, examples=["2025-01-31T08:00:00Z"])

    @classmethod
    def of(cls, user: pb.User) -> User:
        return cls(
            id=user.id,
            email=user.email,
            full_name=user.full_name,
            role=user.role,
            created_at=timestamp_out(user, "created_at"),
        )


class Users(BaseModel):
    users: list[User]


class Token(BaseModel):
    access_token: str
    token_type: str = Field(examples=["Bearer"])
    expires_in: int = Field(description="seconds until the token expires", examples=[3600])
    user: User


Identity = Annotated[pb_grpc.IdentityServiceStub, Depends(deps.identity)]


@router.post(
    "/auth/signup",
    status_code=201,
    response_model=User,
    summary="Create a passenger account",
    description="Limited per client address (`AIRLINE_GATEWAY_SIGNUP_LIMIT_PER_ADDRESS`) and per e-mail "
    "(`AIRLINE_GATEWAY_SIGNUP_LIMIT_PER_EMAIL`) in a window: past either, 429 with Retry-After.",
    responses=error_responses(409, 422, 429),
)
async def sign_up(body: SignUp, request: Request, identity: Identity) -> User:
    lim = limits.limits(request)
    await limits.count(
        [(lim.signup_address, client_address(request)), (lim.signup_email, limits.account_key(body.email))], "sign-ups"
    )
    return User.of(
        await identity.SignUp(pb.SignUpRequest(email=body.email, password=body.password, full_name=body.full_name))
    )


@router.post(
    "/auth/login",
    response_model=Token,
    summary="Exchange e-mail and password for an access token (and a session cookie)",
    description="Limited per client address (every attempt), and failed attempts per account "
    "(`AIRLINE_GATEWAY_LOGIN_FAILURE_LIMIT_PER_ACCOUNT`) and per address "
    "(`AIRLINE_GATEWAY_LOGIN_FAILURE_LIMIT_PER_ADDRESS`): past any, 429 with Retry-After. Also sets the "
    "refresh-token cookie (`airline_refresh`: HttpOnly, Secure, SameSite=Strict, path /api/v1/auth) that "
    "`POST /auth/refresh` exchanges for a new access token.",
    responses=error_responses(401, 429),
)
async def login(body: Login, request: Request, response: Response, identity: Identity) -> Token:
    lim = limits.limits(request)
    address = client_address(request)
    await limits.count([(lim.login, address)], "login attempts from this address")
    failures = [(lim.login_failed_account, limits.account_key(body.email)), (lim.login_failed_address, address)]
    async with limits.failures_counted(failures, "failed logins", {grpc.StatusCode.UNAUTHENTICATED}):
        reply = await identity.Login(pb.LoginRequest(email=body.email, password=body.password))
    return _signed_in(reply, response)


# The refresh token: an HttpOnly cookie that only the auth routes receive (a script cannot read it,
# another site cannot send it). Browsers accept Secure cookies on http://localhost and 127.0.0.1.
REFRESH_COOKIE = "airline_refresh"
REFRESH_PATH = "/api/v1/auth"
RefreshCookie = Annotated[
    str | None, Cookie(alias=REFRESH_COOKIE, description="the refresh token that sign-in set (HttpOnly)")
]


def _signed_in(reply: pb.LoginResponse, response: Response) -> Token:
    """The access token in the body (the page keeps it in memory), the refresh token as a cookie."""
    if reply.refresh_token:
        response.set_cookie(
            REFRESH_COOKIE,
            reply.refresh_token,
            max_age=int(reply.refresh_expires_in) or None,
            path=REFRESH_PATH,
            secure=True,
            httponly=True,
            samesite="strict",
        )
    return Token(
        access_token=reply.access_token,
        token_type=reply.token_type or "Bearer",
        expires_in=reply.expires_in,
        user=User.of(reply.user),
    )


def _clear(response: Response) -> None:
    response.delete_cookie(REFRESH_COOKIE, path=REFRESH_PATH, secure=True, httponly=True, samesite="strict")


@router.post(
    "/auth/refresh",
    response_model=Token,
    summary="A new access token for the browser's session (the refresh-token cookie)",
    description="Sign-in sets the refresh token as an HttpOnly cookie (`airline_refresh`, path /api/v1/auth). "
    "Each refresh uses it up and sets a new one (rotation); a used token presented again ends the whole "
    "session (a stolen copy: the thief and the owner both sign in again). No cookie, or an expired, used "
    "or signed-out one: 401, and the cookie is cleared.",
    responses=error_responses(401),
)
async def refresh(identity: Identity, response: Response, token: RefreshCookie = None) -> Token | JSONResponse:
    try:
        reply = await identity.RefreshSession(pb.RefreshSessionRequest(refresh_token=token or ""))
    except grpc.aio.AioRpcError as e:
        problem = grpc_problem(e, instance=f"{REFRESH_PATH}/refresh")
        if e.code() == grpc.StatusCode.UNAUTHENTICATED:
            _clear(problem)
        return problem
    return _signed_in(reply, response)


@router.post(
    "/auth/logout",
    status_code=204,
    summary="Sign out: end the browser's session",
    description="Revokes the refresh-token cookie's session (every token rotated from the same sign-in) and "
    "clears the cookie. Idempotent: without a cookie it only clears. The access token in the page's memory "
    "stays valid until it expires (minutes); the page drops it.",
)
async def logout(identity: Identity, token: RefreshCookie = None) -> Response:
    if token:
        await identity.EndSession(pb.EndSessionRequest(refresh_token=token))
    response = Response(status_code=204)
    _clear(response)
    return response


@router.get("/auth/me", response_model=User, summary="The signed-in user", responses=error_responses(401))
async def me(identity: Identity, _: Principal = Depends(signed_in)) -> User:
    return User.of(await identity.GetMe(pb.GetMeRequest()))


admin_only = require_roles(Role.ADMIN)


@router.post(
    "/users",
    status_code=201,
    response_model=User,
    tags=["users"],
    summary="Create a user with a role (admin)",
    responses=error_responses(401, 403, 409, 422),
)
async def create_user(body: NewUser, identity: Identity, _: Principal = Depends(admin_only)) -> User:
    return User.of(
        await identity.CreateUser(
            pb.CreateUserRequest(email=body.email, password=body.password, full_name=body.full_name, role=body.role)
        )
    )


@router.get(
    "/users",
    response_model=Users,
    tags=["users"],
    summary="List users, optionally by role (admin)",
    responses=error_responses(401, 403),
)
async def list_users(
    identity: Identity,
    role: Annotated[RoleName | None, Query(description="only users with this role")] = None,  # type: ignore[valid-type]
    _: Principal = Depends(admin_only),
) -> Users:
    reply = await identity.ListUsers(pb.ListUsersRequest(role=role or ""))
    return Users(users=[User.of(u) for u in reply.users])


class Jwk(BaseModel):
    kty: str = Field(examples=["OKP"])
    crv: str = Field(examples=["Ed25519"])
    x: str = Field(description="the public key, base64url")
    kid: str = Field(description="the key id that tokens name in their header")
    alg: str = Field(examples=["EdDSA"])
    use: str = Field(examples=["sig"])


class Jwks(BaseModel):
    keys: list[Jwk]


@router.get(
    "/auth/jwks.json",
    response_model=Jwks,
    summary="The public keys that verify access tokens (JWKS)",
    description="Identity signs every access token with Ed25519 (EdDSA, `kid` in the header). During a "
    "key rotation two keys are listed: the one that signs and the one that still verifies.",
)
async def jwks(identity: Identity) -> Jwks:
    reply = await identity.GetJwks(pb.GetJwksRequest())
    return Jwks(keys=[Jwk(kty=k.kty, crv=k.crv, x=k.x, kid=k.kid, alg=k.alg, use=k.use) for k in reply.keys])
