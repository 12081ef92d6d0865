import type { INestApplication } from '@nestjs/common';
import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import {
  DocumentBuilder,
  OpenAPIObject,
  OperationObject,
  SecurityRequirementObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { authModeOf, AuthMode } from './common/auth/auth.decorators';
import { ErrorBody } from './common/errors/error-body';

const BEARER_SCHEME = 'bearer';

/** What each auth mode asks of the caller, as an OpenAPI security list. */
const SECURITY_BY_AUTH_MODE: Record<AuthMode | 'token', SecurityRequirementObject[]> = {
  public: [],
  // The empty requirement says that calling without a token is accepted as well.
  optional: [{}, { [BEARER_SCHEME]: [] }],
  token: [{ [BEARER_SCHEME]: [] }],
};

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** Swagger's default ids, named here because documentSecurity finds operations by them. */
const operationId = (controllerKey: string, methodKey: string) => `${controllerKey}_${methodKey}`;

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
      .setLicense('MIT', 'https://opensource.org/license/mit')
      // Relative: the document describes whichever host serves it.
      .addServer('/')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER_SCHEME)
      .build(),
    { extraModels: [ErrorBody], operationIdFactory: operationId },
  );
  documentSecurity(app, document);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
}

/**
 * Gives every operation the security JwtAuthGuard applies to its route, read from the same
 * metadata (@Public, @OptionalAuth, or neither), so the document cannot drift from the guard.
 */
function documentSecurity(app: INestApplication, document: OpenAPIObject): void {
  const operations = new Map<string, OperationObject>();
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (operation?.operationId) operations.set(operation.operationId, operation);
    }
  }
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  for (const module of app.get(ModulesContainer).values()) {
    for (const { metatype } of module.controllers.values()) {
      if (!metatype) continue;
      const prototype = metatype.prototype as Record<string, () => unknown>;
      for (const methodKey of scanner.getAllMethodNames(prototype)) {
        const operation = operations.get(operationId(metatype.name, methodKey));
        if (!operation) continue;
        const mode = authModeOf(reflector, prototype[methodKey], metatype) ?? 'token';
        operation.security = SECURITY_BY_AUTH_MODE[mode];
      }
    }
  }
}
