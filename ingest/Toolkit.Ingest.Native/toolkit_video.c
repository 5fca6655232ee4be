// libtoolkit_video.so: a small C ABI over Debian's FFmpeg 5.1 libraries (libavformat, libavcodec, libswscale, libavutil)
// that probes a video and decodes it in process, frame by frame, into the caller's buffer: full-range YCbCr 4:2:0
// (yuvj420p, what a JPEG stores) or gray, at the caller's size, exactly as the ffmpeg command line the toolkit ran before
// (`-vf scale=W:H:flags=bicubic:out_range=full -pix_fmt yuvj420p -fps_mode passthrough`, with its automatic rotation).
//
// Every decoded frame is delivered exactly once, in decode order of presentation (the decoder's output order), as the
// command line does with -fps_mode passthrough. Decoder and demuxer messages are captured per video (not printed), in the
// command line's "-loglevel level+info" format, so the caller keeps the repair notes it reports.
//
// Thread safety: one handle is used by one thread at a time; different handles run in parallel.
#define _GNU_SOURCE
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TKV_API __attribute__((visibility("default")))
#define TKV_MAX_MESSAGES 256
#define TKV_LINE 1024

typedef struct tkv_stream_info {
    int32_t width;           // displayed width (after rotation)
    int32_t height;          // displayed height
    int32_t coded_width;     // frame width as decoded
    int32_t coded_height;
    int32_t rotation;        // as ffprobe reports it, normalised to 0..359 (counter-clockwise display matrix angle)
    int32_t transform;       // what the command line applies: 0 none, 1 clock (90), 2 180, 3 cclock (270), -1 with a flip
    double fps;              // average frame rate, else the real base rate, else 0
    double duration;         // seconds: the stream's, else the container's, else 0
    int64_t declared_frames; // nb_frames, or 0 when the container declares none
    int32_t audio_streams;
    int32_t video_streams;
    char codec[32];
} tkv_stream_info;

typedef struct tkv_video {
    AVFormatContext *format;
    AVCodecContext *codec;
    int stream;
    AVPacket *packet;
    AVFrame *frame;
    AVFrame *turned;         // the frame rotated at the source size (the command line rotates before it scales)
    struct SwsContext *sws;
    int sws_w, sws_h, sws_format, sws_range;
    uint8_t *scratch[4];     // aligned planes the scaler writes when the caller's buffer cannot take its overrun
    int scratch_lines[4];
    int scratch_w, scratch_h, scratch_format;
    int out_w, out_h, out_format; // 0 yuvj420p, 1 gray, 2 packed BGR (OpenCV's Mat layout)
    double last_time;       // seconds of the frame last returned or skipped (NAN when it had no timestamp)
    int transform;
    double range_start;      // seconds from the file's start: frames before it are decoded and dropped (0: none)
    double range_end;        // seconds: the first frame at or after it ends the stream (0: none)
    int draining;            // the demuxer reached its end: the decoder is being flushed
    int finished;
    int64_t frames;
    char error[512];
    // Captured log lines: "[component @ 0x...] [level] text".
    pthread_mutex_t log_lock;
    char *messages[TKV_MAX_MESSAGES];
    int message_count;
    int dropped;
    char pending[TKV_LINE];
} tkv_video;

static pthread_once_t log_once = PTHREAD_ONCE_INIT;

static tkv_video *owner_of(void *avcl, int depth)
{
    if (!avcl || depth > 4)
        return NULL;
    const AVClass *cls = *(const AVClass **)avcl;
    if (!cls)
        return NULL;
    if (cls == avcodec_get_class())
        return (tkv_video *)((AVCodecContext *)avcl)->opaque; // frame-thread copies keep the opaque pointer
    if (cls == avformat_get_class())
        return (tkv_video *)((AVFormatContext *)avcl)->opaque;
    if (cls->parent_log_context_offset) {
        void *parent = *(void **)((uint8_t *)avcl + cls->parent_log_context_offset);
        return owner_of(parent, depth + 1);
    }
    return NULL;
}

static const char *level_name(int level)
{
    if (level <= AV_LOG_FATAL) return "fatal";
    if (level <= AV_LOG_ERROR) return "error";
    if (level <= AV_LOG_WARNING) return "warning";
    return "info";
}

static void add_message(tkv_video *v, const char *line)
{
    pthread_mutex_lock(&v->log_lock);
    if (v->message_count < TKV_MAX_MESSAGES)
        v->messages[v->message_count++] = strdup(line);
    else
        v->dropped++;
    pthread_mutex_unlock(&v->log_lock);
}

// Messages reach the video they belong to through their context; a message no video owns (another library user) is
// left unprinted, as the command line's -loglevel would have shown it only on its own stderr.
static void log_callback(void *avcl, int level, const char *fmt, va_list vl)
{
    if (level > AV_LOG_INFO)
        return;
    tkv_video *v = owner_of(avcl, 0);
    if (!v)
        return;
    char text[TKV_LINE];
    vsnprintf(text, sizeof text, fmt, vl);
    pthread_mutex_lock(&v->log_lock);
    size_t used = strlen(v->pending);
    snprintf(v->pending + used, sizeof v->pending - used, "%s", text);
    size_t length = strlen(v->pending);
    int complete = length > 0 && v->pending[length - 1] == '\n';
    char line[TKV_LINE + 128];
    if (complete) {
        v->pending[length - 1] = '\0';
        const AVClass *cls = *(const AVClass **)avcl;
        const char *component = cls && cls->item_name ? cls->item_name(avcl) : "libav";
        snprintf(line, sizeof line, "[%s @ %p] [%s] %s", component, avcl, level_name(level), v->pending);
        v->pending[0] = '\0';
    }
    pthread_mutex_unlock(&v->log_lock);
    if (complete)
        add_message(v, line);
}

static void install_log(void)
{
    av_log_set_callback(log_callback);
}

static void set_error(tkv_video *v, char *err, int err_len, const char *message)
{
    if (v)
        snprintf(v->error, sizeof v->error, "%s", message);
    if (err && err_len > 0)
        snprintf(err, (size_t)err_len, "%s", message);
}

static void av_message(char *buffer, size_t size, const char *what, int code)
{
    char reason[AV_ERROR_MAX_STRING_SIZE];
    av_strerror(code, reason, sizeof reason);
    snprintf(buffer, size, "%s: %s", what, reason);
}

// The transform the command line's autorotation applies (fftools get_rotation and configure_input_video_filter, 5.1).
static int transform_of(const int32_t *matrix, int *rotation)
{
    *rotation = 0;
    if (!matrix)
        return 0;
    double angle = av_display_rotation_get(matrix);
    if (isnan(angle))
        return 0;
    int reported = (int)lround(angle);
    *rotation = ((reported % 360) + 360) % 360;
    double theta = -round(angle);
    theta -= 360 * floor(theta / 360 + 0.9 / 360);
    if (fabs(theta - 90) < 1.0)
        return matrix[3] > 0 ? -1 : 1;
    if (fabs(theta - 180) < 1.0)
        return (matrix[0] < 0 || matrix[4] < 0) && !(matrix[0] < 0 && matrix[4] < 0) ? -1 : 2;
    if (fabs(theta - 270) < 1.0)
        return matrix[3] < 0 ? -1 : 3;
    if (fabs(theta) > 1.0)
        return -1; // an angle the command line does not turn either; refused so the caller falls back
    return matrix[0] < 0 || matrix[4] < 0 ? -1 : 0;
}

TKV_API const char *tkv_version(void)
{
    return LIBAVCODEC_IDENT;
}

TKV_API void tkv_close(void *handle)
{
    tkv_video *v = (tkv_video *)handle;
    if (!v)
        return;
    sws_freeContext(v->sws);
    av_freep(&v->scratch[0]);
    av_frame_free(&v->turned);
    av_frame_free(&v->frame);
    av_packet_free(&v->packet);
    avcodec_free_context(&v->codec);
    avformat_close_input(&v->format);
    for (int i = 0; i < v->message_count; i++)
        free(v->messages[i]);
    pthread_mutex_destroy(&v->log_lock);
    free(v);
}

// Opens `path`, finds its first video stream that is not an attached picture, and opens its decoder with `threads`
// threads (0: as many as libavcodec picks). Returns NULL with a message in err when the file is no readable video;
// `no_video` is then set to 1 + its number of audio streams when the file opened but has no video stream.
TKV_API void *tkv_open(const char *path, int threads, int *no_video, char *err, int err_len)
{
    pthread_once(&log_once, install_log);
    if (no_video)
        *no_video = 0;
    tkv_video *v = calloc(1, sizeof *v);
    if (!v) {
        set_error(NULL, err, err_len, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&v->log_lock, NULL);
    v->last_time = NAN;
    char message[512];
    v->format = avformat_alloc_context();
    if (!v->format) {
        set_error(v, err, err_len, "out of memory");
        tkv_close(v);
        return NULL;
    }
    v->format->opaque = v;
    int rc = avformat_open_input(&v->format, path, NULL, NULL);
    if (rc < 0) {
        av_strerror(rc, message, sizeof message); // the caller names the file
        set_error(v, err, err_len, message);
        v->format = NULL; // freed by avformat_open_input on failure
        tkv_close(v);
        return NULL;
    }
    rc = avformat_find_stream_info(v->format, NULL);
    if (rc < 0) {
        av_message(message, sizeof message, "could not find codec parameters", rc);
        set_error(v, err, err_len, message);
        tkv_close(v);
        return NULL;
    }
    v->stream = -1;
    for (unsigned i = 0; i < v->format->nb_streams; i++) {
        AVStream *s = v->format->streams[i];
        if (s->codecpar->codec_type == AVMEDIA_TYPE_VIDEO && !(s->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
            v->stream = (int)i;
            break;
        }
    }
    if (v->stream < 0) {
        if (no_video) {
            *no_video = 1; // 1 + the number of audio streams, for the caller's message
            for (unsigned i = 0; i < v->format->nb_streams; i++)
                *no_video += v->format->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_AUDIO;
        }
        set_error(v, err, err_len, "no video stream");
        tkv_close(v);
        return NULL;
    }
    AVStream *stream = v->format->streams[v->stream];
    const AVCodec *decoder = avcodec_find_decoder(stream->codecpar->codec_id);
    if (!decoder) {
        snprintf(message, sizeof message, "no decoder for codec '%s'", avcodec_get_name(stream->codecpar->codec_id));
        set_error(v, err, err_len, message);
        tkv_close(v);
        return NULL;
    }
    v->codec = avcodec_alloc_context3(decoder);
    if (!v->codec || avcodec_parameters_to_context(v->codec, stream->codecpar) < 0) {
        set_error(v, err, err_len, "could not set up the decoder");
        tkv_close(v);
        return NULL;
    }
    v->codec->opaque = v;
    v->codec->pkt_timebase = stream->time_base;
    v->codec->thread_count = threads < 0 ? 1 : threads;
    rc = avcodec_open2(v->codec, decoder, NULL);
    if (rc < 0) {
        av_message(message, sizeof message, "could not open the decoder", rc);
        set_error(v, err, err_len, message);
        tkv_close(v);
        return NULL;
    }
    v->packet = av_packet_alloc();
    v->frame = av_frame_alloc();
    if (!v->packet || !v->frame) {
        set_error(v, err, err_len, "out of memory");
        tkv_close(v);
        return NULL;
    }
    int rotation = 0;
    v->transform = transform_of((const int32_t *)av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, NULL), &rotation);
    return v;
}

TKV_API int tkv_info(void *handle, tkv_stream_info *info)
{
    tkv_video *v = (tkv_video *)handle;
    if (!v || !info)
        return -1;
    memset(info, 0, sizeof *info);
    AVStream *stream = v->format->streams[v->stream];
    AVCodecParameters *par = stream->codecpar;
    int rotation = 0;
    info->transform = transform_of((const int32_t *)av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, NULL), &rotation);
    info->rotation = rotation;
    info->coded_width = par->width;
    info->coded_height = par->height;
    int swap = info->transform == 1 || info->transform == 3;
    info->width = swap ? par->height : par->width;
    info->height = swap ? par->width : par->height;
    AVRational rate = stream->avg_frame_rate.num > 0 && stream->avg_frame_rate.den > 0 ? stream->avg_frame_rate : stream->r_frame_rate;
    info->fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0;
    if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
        info->duration = stream->duration * av_q2d(stream->time_base);
    else if (v->format->duration != AV_NOPTS_VALUE && v->format->duration > 0)
        info->duration = v->format->duration / (double)AV_TIME_BASE;
    info->declared_frames = stream->nb_frames > 0 ? stream->nb_frames : 0;
    for (unsigned i = 0; i < v->format->nb_streams; i++) {
        enum AVMediaType type = v->format->streams[i]->codecpar->codec_type;
        if (type == AVMEDIA_TYPE_AUDIO)
            info->audio_streams++;
        else if (type == AVMEDIA_TYPE_VIDEO)
            info->video_streams++;
    }
    snprintf(info->codec, sizeof info->codec, "%s", avcodec_get_name(par->codec_id));
    return 0;
}

// The displayed size the frames are scaled to, and their layout: 0 yuvj420p planes, 1 gray, 2 packed BGR. Returns -1 for
// a transform the in-process path does not apply (a flipped display matrix): the caller decodes that file with the ffmpeg
// command line instead.
TKV_API int tkv_set_output(void *handle, int width, int height, int format)
{
    tkv_video *v = (tkv_video *)handle;
    if (!v || width < 1 || height < 1 || format < 0 || format > 2)
        return -1;
    if (v->transform < 0) {
        snprintf(v->error, sizeof v->error, "a flipped or oblique display matrix");
        return -1;
    }
    v->out_w = width;
    v->out_h = height;
    v->out_format = format;
    return 0;
}

// Restricts the frames to [start, end) seconds of the file, as the command line's `-ss start -i IN -vf trim=end=end-start`
// does (an accurate input seek, then trim): a seek to the keyframe at or before `start` (relative to the file's start time), then frames before
// `start` are decoded and dropped, and the first frame at or after `end` ends the stream. end <= 0: to the end.
// Call once, before the first tkv_read. Returns -1 when the file cannot seek (the message says why).
TKV_API int tkv_set_range(void *handle, double start, double end)
{
    tkv_video *v = (tkv_video *)handle;
    if (!v || start < 0 || (end > 0 && end <= start))
        return -1;
    v->range_start = start;
    v->range_end = end;
    if (start > 0) {
        int64_t origin = v->format->start_time != AV_NOPTS_VALUE ? v->format->start_time : 0;
        int64_t target = origin + (int64_t)llround(start * AV_TIME_BASE);
        int rc = avformat_seek_file(v->format, -1, INT64_MIN, target, target, 0);
        if (rc < 0) {
            av_message(v->error, sizeof v->error, "seeking failed", rc);
            return -1;
        }
        avcodec_flush_buffers(v->codec);
    }
    return 0;
}

// The frame's time in seconds from the file's start (the command line's timeline after -ss), or NAN when it has none.
static double frame_seconds(tkv_video *v, const AVFrame *frame)
{
    int64_t ts = frame->best_effort_timestamp != AV_NOPTS_VALUE ? frame->best_effort_timestamp : frame->pts;
    if (ts == AV_NOPTS_VALUE)
        return NAN;
    AVStream *stream = v->format->streams[v->stream];
    double origin = v->format->start_time != AV_NOPTS_VALUE ? v->format->start_time / (double)AV_TIME_BASE : 0;
    return ts * av_q2d(stream->time_base) - origin;
}

// Rotates an 8-bit planar frame (gray, or YUV with subsampled chroma) as the transpose / hflip+vflip filters do.
static int turn(tkv_video *v, const AVFrame *in, AVFrame **out_frame)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get((enum AVPixelFormat)in->format);
    // One 8-bit component per plane (gray, yuv420p, yuv422p, yuv444p, their J variants): semi-planar (nv12), packed and
    // deeper formats are not turned here.
    if (!desc || desc->comp[0].depth != 8 || av_pix_fmt_count_planes((enum AVPixelFormat)in->format) != desc->nb_components
        || (desc->flags & (AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_ALPHA))) {
        snprintf(v->error, sizeof v->error, "cannot turn %s frames in process for the display rotation; extract this video with --decoder ffmpeg",
                 desc ? desc->name : "unknown");
        return -1;
    }
    int swap = v->transform == 1 || v->transform == 3;
    int w = swap ? in->height : in->width;
    int h = swap ? in->width : in->height;
    AVFrame *out = v->turned;
    if (!out || out->width != w || out->height != h || out->format != in->format) {
        av_frame_free(&v->turned);
        out = v->turned = av_frame_alloc();
        if (!out)
            return -1;
        out->format = in->format;
        out->width = w;
        out->height = h;
        if (av_frame_get_buffer(out, 0) < 0)
            return -1;
    }
    out->color_range = in->color_range;
    out->colorspace = in->colorspace;
    int planes = av_pix_fmt_count_planes((enum AVPixelFormat)in->format);
    for (int p = 0; p < planes; p++) {
        int chroma = p == 1 || p == 2;
        int sw = chroma ? AV_CEIL_RSHIFT(in->width, desc->log2_chroma_w) : in->width;
        int sh = chroma ? AV_CEIL_RSHIFT(in->height, desc->log2_chroma_h) : in->height;
        int dw = swap ? sh : sw;
        int dh = swap ? sw : sh;
        const uint8_t *src = in->data[p];
        int ss = in->linesize[p];
        uint8_t *dst = out->data[p];
        int ds = out->linesize[p];
        for (int y = 0; y < dh; y++) {
            uint8_t *row = dst + (size_t)y * ds;
            switch (v->transform) {
            case 1: // clockwise: dst(x, y) = src(y, sh-1-x)
                for (int x = 0; x < dw; x++)
                    row[x] = src[(size_t)(sh - 1 - x) * ss + y];
                break;
            case 3: // counter-clockwise: dst(x, y) = src(sw-1-y, x)
                for (int x = 0; x < dw; x++)
                    row[x] = src[(size_t)x * ss + (sw - 1 - y)];
                break;
            default: // 180
                for (int x = 0; x < dw; x++)
                    row[x] = src[(size_t)(sh - 1 - y) * ss + (sw - 1 - x)];
                break;
            }
        }
    }
    *out_frame = out;
    return 0;
}

// Bytes a caller's buffer needs past the frame for the scaler to write into it directly (see scale_into).
#define TKV_SCALE_PADDING 256

static int scale_into(tkv_video *v, const AVFrame *frame, uint8_t *dst, int dst_len)
{
    int w = v->out_w, h = v->out_h;
    int cw = (w + 1) / 2, ch = (h + 1) / 2;
    int gray = v->out_format == 1, bgr = v->out_format == 2;
    int needed = bgr ? 3 * w * h : w * h + (gray ? 0 : 2 * cw * ch);
    if (dst_len < needed) {
        snprintf(v->error, sizeof v->error, "buffer of %d bytes for a %d-byte frame", dst_len, needed);
        return -1;
    }
    int range = frame->color_range == AVCOL_RANGE_JPEG
                || frame->format == AV_PIX_FMT_YUVJ420P || frame->format == AV_PIX_FMT_YUVJ422P || frame->format == AV_PIX_FMT_YUVJ444P;
    if (!v->sws || v->sws_w != frame->width || v->sws_h != frame->height || v->sws_format != frame->format || v->sws_range != range) {
        sws_freeContext(v->sws);
        v->sws = sws_getContext(frame->width, frame->height, (enum AVPixelFormat)frame->format, w, h,
                                bgr ? AV_PIX_FMT_BGR24 : gray ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_YUVJ420P, SWS_BICUBIC, NULL, NULL, NULL);
        if (!v->sws) {
            snprintf(v->error, sizeof v->error, "no scaler from %s %dx%d", av_get_pix_fmt_name((enum AVPixelFormat)frame->format), frame->width, frame->height);
            return -1;
        }
        // As the scale filter with out_range=full: the source range from the frame, full range out.
        int *inv_table, *table, src_range, dst_range, brightness, contrast, saturation;
        if (sws_getColorspaceDetails(v->sws, &inv_table, &src_range, &table, &dst_range, &brightness, &contrast, &saturation) >= 0)
            sws_setColorspaceDetails(v->sws, inv_table, range, table, 1, brightness, contrast, saturation);
        v->sws_w = frame->width;
        v->sws_h = frame->height;
        v->sws_format = frame->format;
        v->sws_range = range;
    }
    // swscale's SIMD writers store whole vectors: past the end of a row that is not a multiple of their width (24 bytes
    // past a 40-pixel BGR frame), which in a tightly packed buffer lands in the next plane or past the buffer's end.
    // The caller's buffer is written directly only when every row is a multiple of 64 bytes and the buffer has room
    // past the frame; otherwise the scaler writes aligned scratch planes (FFmpeg's own frame layout) that are then
    // packed into it.
    enum AVPixelFormat out = bgr ? AV_PIX_FMT_BGR24 : gray ? AV_PIX_FMT_GRAY8 : AV_PIX_FMT_YUVJ420P;
    int packed[4] = {bgr ? 3 * w : w, gray || bgr ? 0 : cw, gray || bgr ? 0 : cw, 0};
    int direct = dst_len >= needed + TKV_SCALE_PADDING && packed[0] % 64 == 0 && packed[1] % 64 == 0;
    uint8_t *planes[4] = {dst, gray || bgr ? NULL : dst + w * h, gray || bgr ? NULL : dst + w * h + cw * ch, NULL};
    int *strides = packed;
    if (!direct) {
        if (!v->scratch[0] || v->scratch_w != w || v->scratch_h != h || v->scratch_format != (int)out) {
            av_freep(&v->scratch[0]);
            // Two spare rows: room for a vector stored past the last row of the last plane.
            if (av_image_alloc(v->scratch, v->scratch_lines, w, h + 2, out, 64) < 0) {
                snprintf(v->error, sizeof v->error, "out of memory for a %dx%d scratch frame", w, h);
                return -1;
            }
            v->scratch_w = w;
            v->scratch_h = h;
            v->scratch_format = out;
        }
        for (int p = 0; p < 4; p++)
            planes[p] = v->scratch[p];
        strides = v->scratch_lines;
    }
    int rows = sws_scale(v->sws, (const uint8_t *const *)frame->data, frame->linesize, 0, frame->height, planes, strides);
    if (rows <= 0) {
        snprintf(v->error, sizeof v->error, "scaling failed");
        return -1;
    }
    if (!direct && av_image_copy_to_buffer(dst, dst_len, (const uint8_t *const *)v->scratch, v->scratch_lines, out, w, h, 1) < 0) {
        snprintf(v->error, sizeof v->error, "packing a %dx%d frame failed", w, h);
        return -1;
    }
    return 0;
}

// Decodes the next frame of the range into v->frame. Returns 1 for a frame, 0 at the end, -1 on an error (v->error).
// Corrupt packets are skipped with a logged message, and a read error ends the stream after the decoder is flushed, as
// the command line does.
static int next_frame(tkv_video *v)
{
    for (;;) {
        if (v->finished)
            return 0;
        int rc = avcodec_receive_frame(v->codec, v->frame);
        if (rc == 0 && (v->range_start > 0 || v->range_end > 0)) {
            double t = frame_seconds(v, v->frame);
            if (!isnan(t) && v->range_end > 0 && t >= v->range_end - 1e-9) {
                av_frame_unref(v->frame);
                v->finished = 1;
                return 0;
            }
            if (!isnan(t) && t < v->range_start - 1e-9) {
                av_frame_unref(v->frame);
                continue;
            }
        }
        if (rc == 0) {
            v->last_time = frame_seconds(v, v->frame);
            return 1;
        }
        if (rc == AVERROR_EOF) {
            v->finished = 1;
            return 0;
        }
        if (rc != AVERROR(EAGAIN)) {
            av_message(v->error, sizeof v->error, "decoding failed", rc);
            return -1;
        }
        if (v->draining) {
            v->finished = 1; // flushed and still asking for input: nothing more will come
            return 0;
        }
        // The decoder wants input.
        rc = av_read_frame(v->format, v->packet);
        if (rc < 0) {
            if (rc != AVERROR_EOF) {
                char message[256];
                av_message(message, sizeof message, v->format->url ? v->format->url : "input", rc);
                char line[400];
                snprintf(line, sizeof line, "[%s @ %p] [error] %s", v->format->iformat ? v->format->iformat->name : "demuxer", (void *)v->format, message);
                add_message(v, line);
            }
            v->draining = 1;
            avcodec_send_packet(v->codec, NULL);
            continue;
        }
        if (v->packet->stream_index == v->stream) {
            rc = avcodec_send_packet(v->codec, v->packet);
            if (rc < 0 && rc != AVERROR(EAGAIN) && rc != AVERROR_EOF) {
                char message[256], line[400];
                av_message(message, sizeof message, "Error while decoding stream", rc);
                snprintf(line, sizeof line, "[%s @ %p] [error] %s", v->codec->codec ? v->codec->codec->name : "decoder", (void *)v->codec, message);
                add_message(v, line); // skipped, as the command line does without -xerror
            }
        }
        av_packet_unref(v->packet);
    }
}

// Decodes the next frame into dst (tightly packed planes at the output size). Returns 1 for a frame, 0 at the end,
// -1 on an error the caller reports (tkv_error).
TKV_API int tkv_read(void *handle, uint8_t *dst, int dst_len)
{
    tkv_video *v = (tkv_video *)handle;
    if (!v || v->out_w < 1)
        return -1;
    int rc = next_frame(v);
    if (rc <= 0)
        return rc;
    const AVFrame *source = v->frame;
    AVFrame *turned = NULL;
    if (v->transform > 0) {
        if (turn(v, v->frame, &turned) < 0) {
            av_frame_unref(v->frame);
            return -1;
        }
        source = turned;
    }
    int scaled = scale_into(v, source, dst, dst_len);
    av_frame_unref(v->frame);
    if (scaled < 0)
        return -1;
    v->frames++;
    return 1;
}

// Decodes the next frame and drops it unscaled (counting, or passing frames a caller does not need). Same returns.
TKV_API int tkv_skip(void *handle)
{
    tkv_video *v = (tkv_video *)handle;
    if (!v)
        return -1;
    int rc = next_frame(v);
    if (rc <= 0)
        return rc;
    av_frame_unref(v->frame);
    v->frames++;
    return 1;
}

// Seconds from the file's start of the frame the last tkv_read or tkv_skip returned; NAN when it had no timestamp.
TKV_API double tkv_last_time(void *handle)
{
    tkv_video *v = (tkv_video *)handle;
    return v ? v->last_time : NAN;
}

TKV_API int64_t tkv_frames(void *handle)
{
    tkv_video *v = (tkv_video *)handle;
    return v ? v->frames : 0;
}

TKV_API int tkv_error(void *handle, char *buffer, int length)
{
    tkv_video *v = (tkv_video *)handle;
    if (!v || !buffer || length < 1)
        return -1;
    snprintf(buffer, (size_t)length, "%s", v->error);
    return (int)strlen(buffer);
}

// Copies the captured log lines (oldest first, '\n'-separated) into buffer and forgets them. Returns the number of bytes
// written (without the NUL), or the negative size needed when the buffer is too small (nothing is forgotten then).
TKV_API int tkv_messages(void *handle, char *buffer, int length)
{
    tkv_video *v = (tkv_video *)handle;
    if (!v || !buffer || length < 1)
        return -1;
    pthread_mutex_lock(&v->log_lock);
    size_t needed = 1;
    for (int i = 0; i < v->message_count; i++)
        needed += strlen(v->messages[i]) + 1;
    char summary[96] = "";
    if (v->dropped > 0) {
        snprintf(summary, sizeof summary, "[libav] [warning] %d more decoder messages were not kept", v->dropped);
        needed += strlen(summary) + 1;
    }
    if (needed > (size_t)length) {
        pthread_mutex_unlock(&v->log_lock);
        return -(int)needed;
    }
    size_t at = 0;
    buffer[0] = '\0';
    for (int i = 0; i < v->message_count; i++) {
        at += (size_t)snprintf(buffer + at, (size_t)length - at, "%s\n", v->messages[i]);
        free(v->messages[i]);
    }
    if (summary[0])
        at += (size_t)snprintf(buffer + at, (size_t)length - at, "%s\n", summary);
    v->message_count = 0;
    v->dropped = 0;
    pthread_mutex_unlock(&v->log_lock);
    return (int)at;
}
