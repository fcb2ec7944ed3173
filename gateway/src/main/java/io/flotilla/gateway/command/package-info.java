/**
 * Commands over MQTT: publishing them to devices ({@link io.flotilla.gateway.command.MqttCommandTransport}) and
 * taking their answers ({@link io.flotilla.gateway.command.CommandAnswerInterceptor}). Nothing here is null unless
 * typed Optional.
 */
package io.flotilla.gateway.command;
