/*
 * host/cli/cli_layer.h - the interface of the command-line layer. Nothing in host/ includes cli/
 * from outside; this header is here so that every layer has one door (see README.md).
 */
#ifndef RT_CLI_LAYER_H
#define RT_CLI_LAYER_H

#include "cli.h"     /* the command table */
#include "opsutil.h" /* what the operator commands share */

#endif
