"""Maps identity protos to use cases and back; role checks per RPC."""

from __future__ import annotations

import grpc
from google.protobuf.timestamp_pb2 import Timestamp

from airline.identity.domain import User
from airline.identity.service import IdentityService, Session
from airline.identity.v1 import identity_pb2 as pb
from airline.identity.v1 import identity_pb2_grpc as pb_grpc
from airline.platform.auth import Role, require
from airline.platform.service_auth import SYSTEM_TOKEN_TTL_SECONDS


def user_pb(user: User) -> pb.User:
    created = Timestamp()
    created.FromDatetime(user.created_at)
    return pb.User(id=user.id, email=user.email, full_name=user.full_name, role=user.role.value, created_at=created)


class IdentityApi(pb_grpc.IdentityServiceServicer):
    def __init__(self, service: IdentityService) -> None:
        self.service = service

    async def SignUp(self, request: pb.SignUpRequest, context: grpc.aio.ServicerContext) -> pb.User:
        return user_pb(await self.service.sign_up(request.email, request.password, request.full_name))

    async def Login(self, request: pb.LoginRequest, context: grpc.aio.ServicerContext) -> pb.LoginResponse:
        return self._session(await self.service.login(request.email, request.password))

    async def RefreshSession(
        self, request: pb.RefreshSessionRequest, context: grpc.aio.ServicerContext
    ) -> pb.LoginResponse:
        return self._session(await self.service.refresh(request.refresh_token))

    async def EndSession(
        self, request: pb.EndSessionRequest, context: grpc.aio.ServicerContext
    ) -> pb.EndSessionResponse:
        await self.service.end_session(request.refresh_token)
        return pb.EndSessionResponse()

    def _session(self, session: Session) -> pb.LoginResponse:
        return pb.LoginResponse(
            access_token=session.access_token,
            token_type="Bearer",
            expires_in=self.service.keys.ttl_seconds,
            user=user_pb(session.user),
            refresh_token=session.refresh_token,
            refresh_expires_in=self.service.settings.refresh_ttl_seconds,
        )

    async def GetMe(self, request: pb.GetMeRequest, context: grpc.aio.ServicerContext) -> pb.User:
        principal = require()
        return user_pb(await self.service.me(principal))

    async def CreateUser(self, request: pb.CreateUserRequest, context: grpc.aio.ServicerContext) -> pb.User:
        require(Role.ADMIN)
        return user_pb(await self.service.create_user(request.email, request.password, request.full_name, request.role))

    async def ListUsers(self, request: pb.ListUsersRequest, context: grpc.aio.ServicerContext) -> pb.ListUsersResponse:
        require(Role.ADMIN)
        return pb.ListUsersResponse(users=[user_pb(u) for u in await self.service.list_users(request.role)])

    async def GetJwks(self, request: pb.GetJwksRequest, context: grpc.aio.ServicerContext) -> pb.Jwks:
        return pb.Jwks(keys=[pb.Jwk(**k) for k in self.service.keys.jwks()["keys"]])

    async def IssueServiceToken(
        self, request: pb.IssueServiceTokenRequest, context: grpc.aio.ServicerContext
    ) -> pb.ServiceToken:
        token = self.service.issue_service_token(request.service, request.secret)
        return pb.ServiceToken(access_token=token, expires_in=SYSTEM_TOKEN_TTL_SECONDS)
