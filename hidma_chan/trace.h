/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * HIDMA channel tracepoints: submit, issue (ring push), complete, error.
 * Channels are named by their dmaengine device number and channel index
 * (dev_id, chid).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM hidma_chan

#if !defined(HIDMA_CHAN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define HIDMA_CHAN_TRACE_H

#include <linux/tracepoint.h>

#include "hidma_chan.h"

TRACE_DEFINE_ENUM(HIDMA_OP_MEMCPY);
TRACE_DEFINE_ENUM(HIDMA_OP_MEMSET);
TRACE_DEFINE_ENUM(HIDMA_OP_INTERRUPT);
TRACE_DEFINE_ENUM(DMA_TRANS_NOERROR);
TRACE_DEFINE_ENUM(DMA_TRANS_READ_FAILED);
TRACE_DEFINE_ENUM(DMA_TRANS_WRITE_FAILED);
TRACE_DEFINE_ENUM(DMA_TRANS_ABORTED);

#define hidma_show_op(op)						\
	__print_symbolic(op,						\
			 { HIDMA_OP_MEMCPY, "memcpy" },			\
			 { HIDMA_OP_MEMSET, "memset" },			\
			 { HIDMA_OP_INTERRUPT, "interrupt" })

#define hidma_show_result(r)						\
	__print_symbolic(r,						\
			 { DMA_TRANS_NOERROR, "ok" },			\
			 { DMA_TRANS_READ_FAILED, "read-failed" },	\
			 { DMA_TRANS_WRITE_FAILED, "write-failed" },	\
			 { DMA_TRANS_ABORTED, "aborted" })

/*
 * A descriptor's life: one record layout for its submission and its
 * completion; the completion prints the fields that mean something then.
 */
DECLARE_EVENT_CLASS(hidma_chan_tx,
		    TP_PROTO(const struct hidma_chan *chan,
			     const struct hidma_chan_desc *d),
		    TP_ARGS(chan, d),
		    TP_STRUCT__entry(__field(int, dev_id)
				     __field(u32, chid)
				     __field(dma_cookie_t, cookie)
				     __field(int, op)
				     __field(u32, len)
				     __field(bool, ieob)
				     __field(int, result)
				     __field(u32, residue)),
		    TP_fast_assign(__entry->dev_id = chan->dd.dev_id;
				   __entry->chid = chan->chid;
				   __entry->cookie = d->tx.cookie;
				   __entry->op = d->op;
				   __entry->len = d->len;
				   __entry->ieob = d->ieob;
				   __entry->result = d->result;
				   __entry->residue = d->residue;),
		    TP_printk("dma%d chid=%u cookie=%d op=%s len=%u irq=%d",
			      __entry->dev_id, __entry->chid, __entry->cookie,
			      hidma_show_op(__entry->op), __entry->len,
			      __entry->ieob)
);

DEFINE_EVENT(hidma_chan_tx, hidma_chan_submit,
	     TP_PROTO(const struct hidma_chan *chan,
		      const struct hidma_chan_desc *d),
	     TP_ARGS(chan, d)
);

DEFINE_EVENT_PRINT(hidma_chan_tx, hidma_chan_complete,
		   TP_PROTO(const struct hidma_chan *chan,
			    const struct hidma_chan_desc *d),
		   TP_ARGS(chan, d),
		   TP_printk("dma%d chid=%u cookie=%d result=%s residue=%u",
			     __entry->dev_id, __entry->chid, __entry->cookie,
			     hidma_show_result(__entry->result),
			     __entry->residue)
);

TRACE_EVENT(hidma_chan_issue,
	    TP_PROTO(const struct hidma_chan *chan, u32 pushed),
	    TP_ARGS(chan, pushed),
	    TP_STRUCT__entry(__field(int, dev_id)
			     __field(u32, chid)
			     __field(u32, pushed)
			     __field(u32, tail)
			     __field(u32, nactive)),
	    TP_fast_assign(__entry->dev_id = chan->dd.dev_id;
			   __entry->chid = chan->chid;
			   __entry->pushed = pushed;
			   __entry->tail = chan->tre_tail;
			   __entry->nactive = chan->nactive;),
	    TP_printk("dma%d chid=%u pushed=%u doorbell_slot=%u in_flight=%u",
		      __entry->dev_id, __entry->chid, __entry->pushed,
		      __entry->tail, __entry->nactive)
);

TRACE_EVENT(hidma_chan_error,
	    TP_PROTO(const struct hidma_chan *chan, u32 causes,
		     dma_cookie_t cookie, u32 retried),
	    TP_ARGS(chan, causes, cookie, retried),
	    TP_STRUCT__entry(__field(int, dev_id)
			     __field(u32, chid)
			     __field(u32, causes)
			     __field(dma_cookie_t, cookie)
			     __field(u32, retried)),
	    TP_fast_assign(__entry->dev_id = chan->dd.dev_id;
			   __entry->chid = chan->chid;
			   __entry->causes = causes;
			   __entry->cookie = cookie;
			   __entry->retried = retried;),
	    TP_printk("dma%d chid=%u causes=%#x failed_cookie=%d retried=%u",
		      __entry->dev_id, __entry->chid, __entry->causes,
		      __entry->cookie, __entry->retried)
);

#endif /* HIDMA_CHAN_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
