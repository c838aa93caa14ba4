import type { Attributes } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { isClean, scrubAttributes } from './scrub-attributes.js';

const isCleanOrNone = (attributes: Attributes | undefined) => attributes === undefined || isClean(attributes);

/** Whether the span may leave as it is: nothing to scrub, no status message. */
function isExportable(span: ReadableSpan): boolean {
  return (
    !span.status.message &&
    isClean(span.attributes) &&
    span.events.every((event) => isCleanOrNone(event.attributes)) &&
    span.links.every((link) => isCleanOrNone(link.attributes))
  );
}

/**
 * The span as it may leave the process: see scrubAttributes. Most spans have nothing to scrub and
 * leave as they are: a copy of every span was a third of the exporter's cost.
 */
function scrubbed(span: ReadableSpan): ReadableSpan {
  if (isExportable(span)) return span;
  return {
    name: span.name,
    kind: span.kind,
    spanContext: () => span.spanContext(),
    parentSpanContext: span.parentSpanContext,
    startTime: span.startTime,
    endTime: span.endTime,
    duration: span.duration,
    ended: span.ended,
    // The code says that it failed; a message may quote the input (SDK and JSON parser errors do).
    status: { code: span.status.code },
    attributes: scrubAttributes(span.attributes),
    events: span.events.map((event) => ({ ...event, attributes: event.attributes && scrubAttributes(event.attributes) })),
    links: span.links.map((link) => ({ ...link, attributes: link.attributes && scrubAttributes(link.attributes) })),
    resource: span.resource,
    instrumentationScope: span.instrumentationScope,
    droppedAttributesCount: span.droppedAttributesCount,
    droppedEventsCount: span.droppedEventsCount,
    droppedLinksCount: span.droppedLinksCount,
  };
}

/**
 * The one door every span leaves by, whichever instrumentation made it: configuring each
 * instrumentation to record nothing secret is not enough on its own (a new version records a new
 * attribute, an operator turns on header capture), so what is exported is scrubbed here.
 */
export class ScrubbingSpanExporter implements SpanExporter {
  constructor(private readonly exporter: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.exporter.export(spans.map(scrubbed), resultCallback);
  }

  shutdown(): Promise<void> {
    return this.exporter.shutdown();
  }

  async forceFlush(): Promise<void> {
    await this.exporter.forceFlush?.();
  }
}
