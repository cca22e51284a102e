/*
 * host/engine/engine_layer.h - the interface of the engine layer: what cli/ may use of it.
 * Files outside engine/ include this header and no other of engine/ (see README.md);
 * tests/check_layers.sh enforces it.
 */
#ifndef RT_ENGINE_LAYER_H
#define RT_ENGINE_LAYER_H

#include "cron.h"     /* cron expressions */
#include "api.h"      /* the ratchet.engine interface for front ends */
#include "analysis.h" /* the error report of a failed execution */
#include "author.h"   /* the check process of task authoring */
#include "deliver.h"  /* output destinations of a job (webhook, file) */
#include "engine.h"   /* the engine behind `ratchet serve` */
#include "ipc.h"      /* the coordinator-worker line protocol */
#include "jobspec.h"  /* checks shared by jobs and schedules (CLI and API) */
#include "keys.h"     /* API keys */
#include "log_store.h" /* the server's log events kept in storage */
#include "outbox.h"   /* the outbox of deliveries */
#include "pool.h"     /* the worker pool */
#include "registry.h" /* task registries: HTTP indexes, their cache, serve's poller */
#include "relay.h"    /* fetches relayed for the workers */
#include "reload.h"   /* serve reloads changed tasks; their last errors */
#include "schedule.h" /* the scheduler, and times as --at writes them */
#include "store.h"    /* the storage client */
#include "trace.h"    /* W3C trace context of jobs, spans to the exporter */
#include "tz.h"       /* time zones */
#include "worker.h"   /* the body of a worker process */

#endif
