"""
Evidence for bench/RESULTS.md: builds prototype variants of the bench's private build of the app
(node_modules/.cache/nest-chat-bench/app, made by any `npm run bench`) by patching the compiled
JavaScript, so the recommended src/ changes can be measured before anyone writes them:

  app-p1   P1: ChatIoAdapter.bindMessageHandlers without per-socket rxjs pipelines
  app-rt   P1 + P2 (precompiled chat_message check) + P4 (chat_message straight to the service)
  app-w    W: group commit of messages on PostgreSQL (batched INSERT with the membership check)
  app-all  all of them

  python3 bench/prototypes/make-prototypes.py
  npm run bench -- --only rooms --servers ours,socketio --app-dir node_modules/.cache/nest-chat-bench/app-rt

Nothing in src/ changes. The patches match the compiled text of the commit RESULTS.md names and
stop with an assertion when src/ has moved on; they are prototypes (no tests, clustered mode not
considered), not the implementation.
"""
import os, shutil
C = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'node_modules', '.cache', 'nest-chat-bench') + '/'

def patch(app, rel, old, new, count=1):
    p = C + app + '/src/' + rel
    s = open(p).read()
    assert s.count(old) == count, (app, rel, old[:60], s.count(old))
    open(p, 'w').write(s.replace(old, new))

P1 = ("chat/chat-io.adapter.js", "        return server;\n    }\n}\nexports.ChatIoAdapter = ChatIoAdapter;", """        return server;
    }
    // PROTOTYPE P1: plain listeners instead of fromEvent/share/first/mergeMap/defer/takeUntil per socket and event.
    bindMessageHandlers(socket, handlers, transform) {
        for (const { message, callback, isAckHandledManually } of handlers) {
            socket.on(message, (...args) => {
                const { data, ack } = this.mapPayload(args);
                let result;
                try { result = callback(data, ack); } catch (error) { this.logger.error(error); return; }
                const answer = (response) => {
                    if (response === undefined || response === null) return;
                    if (response.event) return socket.emit(response.event, response.data);
                    if (!isAckHandledManually && typeof ack === 'function') ack(response);
                };
                if (result && typeof result.then === 'function') result.then(answer, (error) => this.logger.error(error));
                else if (result && typeof result.subscribe === 'function') transform(result).subscribe({ next: answer, error: (error) => this.logger.error(error) });
                else answer(result);
            });
        }
    }
}
exports.ChatIoAdapter = ChatIoAdapter;""")

P2a = ("common/validation/validation.pipe.js", "    async transform(value, metadata) {\n", """    async transform(value, metadata) {
        // PROTOTYPE P2: a precompiled check for the hot real-time payload.
        if (metadata.metatype && metadata.metatype.name === 'ChatMessageDto') return fastChatMessage(value, metadata.metatype);
""")
P2b = ("common/validation/validation.pipe.js", "exports.AppValidationPipe = AppValidationPipe;\nexports.AppValidationPipe = AppValidationPipe = __decorate", """const CHAT_FIELDS = new Set(['type', 'room_id', 'content', 'client_msg_id']);
function fastChatMessage(value, metatype) {
    const fail = (field, message) => { throw app_error_1.RequestError.validation([{ field, message }]); };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('body', 'must be a JSON object');
    for (const key in value) if (!CHAT_FIELDS.has(key)) fail(key, 'property ' + key + ' should not exist');
    const { type, room_id, content, client_msg_id } = value;
    if (!Number.isInteger(room_id) || room_id < 1 || room_id > 2147483647) fail('room_id', 'must be an integer from 1');
    if (type !== undefined && type !== 'chat_message') fail('type', 'must be equal to chat_message');
    if (typeof content !== 'string') fail('content', 'must be a string');
    const trimmed = content.trim();
    if (trimmed.length < 1 || trimmed.length > 4000) fail('content', 'must be 1 to 4000 characters long after trimming');
    if (client_msg_id !== undefined && (typeof client_msg_id !== 'string' || client_msg_id.length < 1 || client_msg_id.length > 128)) fail('client_msg_id', 'must be 1 to 128 characters');
    const dto = Object.create(metatype.prototype);
    dto.room_id = room_id; dto.content = trimmed;
    if (type !== undefined) dto.type = type;
    if (client_msg_id !== undefined) dto.client_msg_id = client_msg_id;
    return dto;
}
exports.fastChatMessage = fastChatMessage;
exports.AppValidationPipe = AppValidationPipe;
exports.AppValidationPipe = AppValidationPipe = __decorate""")

P4a = ("chat/chat.gateway.js", "    (0, websockets_1.SubscribeMessage)('chat_message'),\n", "")
P4b = ("chat/chat.gateway.js", "    async handleConnection(socket) {\n", """    async handleConnection(socket) {
        // PROTOTYPE P4: chat_message straight to the service: no Nest context, pipes or filters per event.
        const { fastChatMessage } = require('../common/validation/validation.pipe');
        socket.on('chat_message', (payload, ack) => {
            const reply = typeof ack === 'function' ? ack : (answer) => { if (!answer.ok) socket.emit('error', answer.error); };
            const fail = (error) => reply({ ok: false, error: (0, ws_errors_1.errorEventOf)(error) });
            let dto;
            try { dto = fastChatMessage(payload, chat_dto_1.ChatMessageDto); } catch (error) { return fail(error); }
            this.command(socket, () => this.chat.send(socket.data.user, dto)).then(reply, fail);
        });
""")

W1 = ("messages/messages.typeorm.repository.js", "    async findByClientMsgId(", """    // PROTOTYPE W: group commit. Sends arriving while a batch is in flight form the next batch:
    // one statement locks the batch's rooms in id order and inserts every row whose sender is a
    // member (INSERT ... SELECT FROM unnest(...)), RETURNING the rows. null: not a member.
    createChecked(input) {
        return new Promise((resolve, reject) => {
            this.queue ??= [];
            this.queue.push({ input, resolve, reject });
            if (this.queue.length === 1 && !this.flushing) setImmediate(() => this.flush());
        });
    }
    flush() {
        if (this.flushing) return;
        const batch = (this.queue ?? []).splice(0, 1000);
        if (batch.length === 0) return;
        this.flushing = true;
        const done = () => { this.flushing = false; if (this.queue.length > 0) this.flush(); };
        const rooms = [...new Set(batch.map((item) => item.input.roomId))].sort((a, b) => a - b);
        this.db.transaction(async (tx) => {
            await tx.query('SELECT 1 FROM rooms WHERE id = ANY($1::int[]) ORDER BY id FOR NO KEY UPDATE', [rooms]);
            return tx.query(`INSERT INTO messages (room_id, user_id, content, client_msg_id, created_at)
         SELECT t.room_id, t.user_id, t.content, t.client_msg_id, clock_timestamp()
         FROM unnest($1::int[], $2::int[], $3::text[], $4::varchar[]) WITH ORDINALITY AS t(room_id, user_id, content, client_msg_id, ord)
         WHERE EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = t.room_id AND m.user_id = t.user_id)
         ORDER BY t.ord
         ON CONFLICT (user_id, client_msg_id) DO NOTHING
         RETURNING id, created_at, room_id, user_id, content, client_msg_id`, [
                batch.map((item) => item.input.roomId),
                batch.map((item) => item.input.userId),
                batch.map((item) => item.input.content),
                batch.map((item) => item.input.clientMsgId),
            ]);
        }).then(async (rows) => {
            const byKey = new Map();
            const anonymous = [];
            for (const row of rows) {
                if (row.client_msg_id === null) anonymous.push(row);
                else byKey.set(`${row.user_id}:${row.client_msg_id}`, row);
            }
            let next = 0;
            for (const item of batch) {
                const { input } = item;
                let row;
                if (input.clientMsgId === null) {
                    const candidate = anonymous[next];
                    if (candidate && candidate.room_id === input.roomId && candidate.user_id === input.userId && candidate.content === input.content) { row = candidate; next++; }
                } else {
                    row = byKey.get(`${input.userId}:${input.clientMsgId}`);
                    byKey.delete(`${input.userId}:${input.clientMsgId}`);
                }
                if (row) { item.resolve({ message: { ...input, id: Number(row.id), createdAt: row.created_at }, created: true }); continue; }
                if (input.clientMsgId !== null) {
                    const stored = await this.findByClientMsgId(input.userId, input.clientMsgId).catch(() => null);
                    if (stored) { item.resolve({ message: stored, created: false }); continue; }
                }
                item.resolve(null);
            }
        }, (error) => { for (const item of batch) item.reject(error); }).finally(done);
    }
    async findByClientMsgId(""")
W2 = ("messages/messages.service.js", "    async send(auth, roomId, dto) {\n        await this.rooms.assertCanSend(auth, roomId);\n", """    async send(auth, roomId, dto) {
        // PROTOTYPE W: on PostgreSQL, membership is checked inside the batched insert.
        if (this.messages.createChecked && (await this.rateLimiter.take(auth.id)) === 0) {
            const stored = await this.messages.createChecked({
                roomId, userId: auth.id, username: auth.username, content: dto.content, clientMsgId: dto.client_msg_id ?? null,
            });
            if (stored === null) {
                await this.rooms.assertCanSend(auth, roomId); // throws room_not_found / not_a_member
                throw new Error('send raced with a membership change');
            }
            return this.answer(stored, roomId);
        }
        await this.rooms.assertCanSend(auth, roomId);
""")

VARIANTS = {
    'app-p1': [P1],
    'app-rt': [P1, P2a, P2b, P4a, P4b],
    'app-w': [W1, W2],
    'app-all': [P1, P2a, P2b, P4a, P4b, W1, W2],
}
for name, patches in VARIANTS.items():
    shutil.rmtree(C + name, ignore_errors=True)
    shutil.copytree(C + 'app', C + name)
    for rel, old, new in patches:
        patch(name, rel, old, new)
    print('built', name)
