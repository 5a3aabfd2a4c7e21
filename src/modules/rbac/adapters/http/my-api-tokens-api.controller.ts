import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  API_PAYLOAD_TOO_LARGE,
  API_UNAUTHENTICATED,
  API_UNSUPPORTED_BODY,
  apiError,
  BODY_CODES,
  PATH_CODES,
} from '../../../../shared/adapters/http/api-error.schema';
import { ApiTokenView } from '../../application/api-token-view';
import { CreateMyApiToken } from '../../application/create-my-api-token.use-case';
import { ListMyApiTokens } from '../../application/list-my-api-tokens.query';
import { RevokeMyApiToken } from '../../application/revoke-my-api-token.use-case';
import { ApiAuthenticated } from './authenticated.decorator';
import { CreateApiTokenRequest } from './create-api-token.request';
import { ApiTokenCreatedResponse, ApiTokenListResponse } from './rbac-api.responses';
import { CurrentAccess, RequestAccess } from './request-access';

/** The caller's own personal API tokens: list, create (secret shown once), revoke. */
@ApiTags('identity')
@ApiBearerAuth()
@ApiResponse(API_UNAUTHENTICATED)
@ApiAuthenticated()
@Controller('api/v1/me/tokens')
export class MyApiTokensApiController {
  constructor(
    @Inject(ListMyApiTokens) private readonly listTokens: ListMyApiTokens,
    @Inject(CreateMyApiToken) private readonly createToken: CreateMyApiToken,
    @Inject(RevokeMyApiToken) private readonly revokeToken: RevokeMyApiToken,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your personal API tokens (not revoked), with created, last used and expiry; never the secret' })
  @ApiResponse({ status: 200, type: ApiTokenListResponse })
  async list(@CurrentAccess() caller: RequestAccess): Promise<{ items: ApiTokenView[] }> {
    return { items: await this.listTokens.execute(caller) };
  }

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({ summary: 'Create a personal API token; the answer carries the token, shown this once' })
  @ApiResponse({ status: 201, description: 'The new token, with its secret', type: ApiTokenCreatedResponse })
  @ApiResponse(apiError(400, 'Invalid body: blank or long name, a lifetime outside 1–365 days', [...BODY_CODES, 'invalid_token_name', 'invalid_token_expiry']))
  @ApiResponse(API_PAYLOAD_TOO_LARGE)
  @ApiResponse(API_UNSUPPORTED_BODY)
  async create(@CurrentAccess() caller: RequestAccess, @Body() body: CreateApiTokenRequest): Promise<ApiTokenView & { token: string }> {
    const { token, secret } = await this.createToken.execute(caller, body);
    return { ...token, token: secret };
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke one of your tokens: it answers 401 from the next request on' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiResponse(apiError(400, 'A NUL character in the id', PATH_CODES))
  @ApiResponse(apiError(404, "Unknown, malformed, already revoked or another user's token (indistinguishable)", ['not_found']))
  async revoke(@CurrentAccess() caller: RequestAccess, @Param('id') id: string): Promise<void> {
    await this.revokeToken.execute(caller, id);
  }
}
