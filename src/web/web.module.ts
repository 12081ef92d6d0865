import { Module } from '@nestjs/common';
import { WebAssets } from './web-assets';
import { WebController } from './web.controller';

/** The browser client, built into public/ by `npm run build:client`, served at `/`. */
@Module({
  controllers: [WebController],
  providers: [WebAssets],
})
export class WebModule {}
