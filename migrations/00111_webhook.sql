-- Webhooks (issue 14): a client's subscription to a feed delivered by HTTP
-- POST to its receiver, signed with a per-subscription secret.
--
-- webhook_subscription.cursor is the id of the last person_event already
-- turned into deliveries; the dispatcher that holds the subscription's row
-- lock (SELECT ... FOR UPDATE SKIP LOCKED) is the only one that enqueues or
-- delivers for it, so with several server instances on one database each
-- delivery is made by one of them, in order. A receiver that is down keeps
-- its pending deliveries (retried with backoff) until it answers 2xx.

-- +goose Up
CREATE TABLE webhook_subscription (
    id           bigserial PRIMARY KEY,
    client_id    bigint NOT NULL REFERENCES api_client (id) ON DELETE CASCADE,
    feed         varchar(20) NOT NULL CHECK (feed IN ('RESIDENT_MOVES', 'PERSON_EVENTS')),
    url          text NOT NULL,
    secret       text NOT NULL,
    cursor       bigint NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    disabled_at  timestamptz
);
CREATE INDEX webhook_subscription_client_idx ON webhook_subscription (client_id);

-- webhook_delivery is one POST to make: the body is fixed when enqueued, so
-- a retry sends the same bytes (and a fresh timestamp and signature).
CREATE TABLE webhook_delivery (
    id               bigserial PRIMARY KEY,
    subscription_id  bigint NOT NULL REFERENCES webhook_subscription (id) ON DELETE CASCADE,
    event_id         bigint NOT NULL,
    body             text NOT NULL,
    cprs             text[] NOT NULL DEFAULT '{}',
    status           varchar(10) NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'DELIVERED')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    last_status      integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz
);
CREATE INDEX webhook_delivery_pending_idx ON webhook_delivery (subscription_id, id) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_subscription_idx ON webhook_delivery (subscription_id, id);

-- +goose Down
DROP TABLE webhook_delivery, webhook_subscription;
