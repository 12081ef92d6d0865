import { Controller, Get, NotFoundException, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { securityHeaders } from './security-headers';
import { WebAssets } from './web-assets';

/**
 * Serves the web client: the page at `/`, its hashed bundles under `/assets/`, the icon. Only these
 * routes are taken, so every other path (unknown /api routes included) keeps the JSON 404. HEAD
 * requests are answered by the GET routes (Express), without a body.
 */
@ApiExcludeController()
@Public()
@Controller()
export class WebController {
  constructor(private readonly assets: WebAssets) {}

  @Get()
  page(@Req() request: Request, @Res() response: Response): void {
    this.send('index.html', request, response);
  }

  @Get('favicon.svg')
  icon(@Req() request: Request, @Res() response: Response): void {
    this.send('favicon.svg', request, response);
  }

  @Get('assets/:file')
  asset(@Param('file') file: string, @Req() request: Request, @Res() response: Response): void {
    this.send(`assets/${file}`, request, response);
  }

  private send(path: string, request: Request, response: Response): void {
    const asset = this.assets.get(path);
    if (!asset) {
      if (path !== 'index.html') throw new NotFoundException();
      response
        .status(503)
        .type('text/plain')
        .send('The web client is not built. Run `npm run build` (or `npm run build:client`).\n');
      return;
    }
    response.set(securityHeaders(request.headers.host));
    const { body, encoding } = this.assets.encode(
      asset,
      path,
      String(request.headers['accept-encoding'] ?? ''),
    );
    // One entity tag per representation: the compressed forms differ from the plain one.
    const etag = encoding ? `${asset.etag.slice(0, -1)}-${encoding}"` : asset.etag;
    response.set({
      'Content-Type': asset.type,
      'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: etag,
      Vary: 'Accept-Encoding',
    });
    const ifNoneMatch = String(request.headers['if-none-match'] ?? '');
    if (ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      response.status(304).end();
      return;
    }
    if (encoding) response.set('Content-Encoding', encoding);
    response.set('Content-Length', String(body.length));
    response.status(200);
    if (request.method === 'HEAD') response.end();
    else response.end(body);
  }
}
