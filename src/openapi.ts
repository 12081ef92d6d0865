import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ErrorBody } from './common/errors/error-body';

/** OpenAPI UI at /api/docs and the document at /api/docs-json. */
export function setupOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Chat server API')
      .setDescription(
        'REST half of the chat server. Errors answer with ErrorBody; ids are positive integers; ' +
          'times are ISO-8601 UTC. Real-time events travel over Socket.IO (/socket.io) and a ' +
          'seed-compatible WebSocket (/api/ws); see the README.',
      )
      .setVersion('1')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
    { extraModels: [ErrorBody] },
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}
