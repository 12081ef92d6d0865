import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { securityHeaders } from './security-headers';
import { WebAssets } from './web-assets';

/**
 * Serves the web client: the page at `/`, its hashed bundles under `/assets/`, the icon. Only these
 * routes are taken, so every other path (unknown /api routes included) keeps the JSON 404. HEAD
 * requests are answered by the GET routes (Fastify), without a body.
 */
@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  constructor(private readonly assets: WebAssets) {}

  @Get()
  page(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send('index.html', request, reply);
  }

  @Get('favicon.svg')
  icon(@Req() request: FastifyRequest, @Res() reply: FastifyReply): void {
    this.send('favicon.svg', request, reply);
  }

  @Get('assets/:file')
  asset(
    @Param('file') file: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): void {
    this.send(`assets/${file}`, request, reply);
  }

  private send(path: string, request: FastifyRequest, reply: FastifyReply): void {
    const asset = this.assets.get(path);
    if (!asset) {
      if (path !== 'index.html') throw new NotFoundException();
      void reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web client is not built. Run `npm run build` (or `npm run build:client`).\n');
      return;
    }
    const { body, encoding } = this.assets.encode(
      asset,
      path,
      String(request.headers['accept-encoding'] ?? ''),
    );
    // One entity tag per representation: the compressed forms differ from the plain one.
    const etag = encoding ? `${asset.etag.slice(0, -1)}-${encoding}"` : asset.etag;
    void reply.headers({
      ...securityHeaders(request.headers.host),
      'Content-Type': asset.type,
      'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: etag,
      Vary: 'Accept-Encoding',
    });
    const ifNoneMatch = String(request.headers['if-none-match'] ?? '');
    if (ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      void reply.code(304).send();
      return;
    }
    if (encoding) void reply.header('Content-Encoding', encoding);
    void reply.code(200).send(body);
  }
}
