// libtoolkit_jpeg.so: decodes one rectangle of a JPEG, optionally at a reduced DCT scale, with libjpeg-turbo's
// libjpeg API (Debian 12: libjpeg62-turbo 2.1). TurboJPEG 2.x (what the toolkit uses for whole frames) has no cropping
// call; libjpeg's jpeg_crop_scanline / jpeg_skip_scanlines do: columns left and right of the rectangle are entropy-
// decoded only (no inverse DCT, upsampling or colour conversion), rows above it skip those steps too, and decoding stops
// after its last row.
//
// Pixels: libjpeg's defaults, as TurboJPEG and OpenCV's imdecode use them (accurate integer IDCT, fancy chroma
// upsampling), so the rectangle's pixels are those of a whole-frame decode at the same scale. libjpeg adjusts a crop to
// the iMCU grid and replicates chroma at a crop's edges where a whole-frame decode interpolates from the neighbouring
// block; the decoder therefore widens the crop by one iMCU on each side that has one (and starts skipping one iMCU row
// early) and copies the caller's rectangle out of the middle. A test checks equality with whole-frame decodes on
// thousands of random rectangles.
//
// Warnings (corrupt data libjpeg would fill in) stop the decode, as TurboJPEG's TJFLAG_STOPONWARNING: the caller falls
// back to its own path.
//
// A private libjpeg: the process may already hold the system's libjpeg.so.62 loaded on behalf of another library, with
// its internal calls bound to a different libjpeg (OpenCvSharp's runtime pulls libjpeg.so.62 in through GTK and exports
// 88 jpeg_* functions of its own, which then serve libjpeg.so.62's internal calls: mixing the two crashed). So this
// library does not link libjpeg; it opens a copy of it that jpeg-build.sh places beside it (libtoolkit_libjpeg.so)
// with RTLD_LOCAL | RTLD_DEEPBIND, so that the copy's calls resolve to the copy, and calls it through pointers.
//
// Thread safety: a handle is used by one thread at a time; handles are independent.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#define TKJ_API __attribute__((visibility("default")))
#define TKJ_LIBJPEG "libtoolkit_libjpeg.so"

// The private libjpeg's entry points (see the top of this file).
static struct {
    struct jpeg_error_mgr *(*std_error)(struct jpeg_error_mgr *);
    void (*create)(j_decompress_ptr, int, size_t);
    void (*destroy)(j_decompress_ptr);
    void (*mem_src)(j_decompress_ptr, const unsigned char *, unsigned long);
    int (*read_header)(j_decompress_ptr, boolean);
    void (*calc_output_dimensions)(j_decompress_ptr);
    boolean (*start)(j_decompress_ptr);
    void (*crop_scanline)(j_decompress_ptr, JDIMENSION *, JDIMENSION *);
    JDIMENSION (*skip_scanlines)(j_decompress_ptr, JDIMENSION);
    JDIMENSION (*read_scanlines)(j_decompress_ptr, JSAMPARRAY, JDIMENSION);
    void (*abort)(j_decompress_ptr);
} J;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;
static char load_error[1024];

static void *need(void *lib, const char *name)
{
    void *f = dlsym(lib, name);
    if (!f && !load_error[0])
        snprintf(load_error, sizeof load_error, "%s has no %s", TKJ_LIBJPEG, name);
    return f;
}

static void load(void)
{
    Dl_info self;
    if (!dladdr((void *)&load, &self) || !self.dli_fname) {
        snprintf(load_error, sizeof load_error, "cannot find where libtoolkit_jpeg.so was loaded from");
        return;
    }
    char path[4096];
    const char *slash = strrchr(self.dli_fname, '/');
    int dir = slash ? (int)(slash - self.dli_fname) : 1;
    snprintf(path, sizeof path, "%.*s/%s", dir, slash ? self.dli_fname : ".", TKJ_LIBJPEG);
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (!lib) {
        snprintf(load_error, sizeof load_error, "%s", dlerror());
        return;
    }
    *(void **)&J.std_error = need(lib, "jpeg_std_error");
    *(void **)&J.create = need(lib, "jpeg_CreateDecompress");
    *(void **)&J.destroy = need(lib, "jpeg_destroy_decompress");
    *(void **)&J.mem_src = need(lib, "jpeg_mem_src");
    *(void **)&J.read_header = need(lib, "jpeg_read_header");
    *(void **)&J.calc_output_dimensions = need(lib, "jpeg_calc_output_dimensions");
    *(void **)&J.start = need(lib, "jpeg_start_decompress");
    *(void **)&J.crop_scanline = need(lib, "jpeg_crop_scanline");
    *(void **)&J.skip_scanlines = need(lib, "jpeg_skip_scanlines");
    *(void **)&J.read_scanlines = need(lib, "jpeg_read_scanlines");
    *(void **)&J.abort = need(lib, "jpeg_abort_decompress");
}

// Why the private libjpeg could not be loaded, or "" when it was (loads it on the first call).
TKJ_API const char *tkj_load_error(void)
{
    pthread_once(&loaded, load);
    return load_error;
}

typedef struct tkj_error {
    struct jpeg_error_mgr pub;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
} tkj_error;

typedef struct tkj_decoder {
    struct jpeg_decompress_struct cinfo;
    tkj_error error;
} tkj_decoder;

static void on_error(j_common_ptr cinfo)
{
    tkj_error *e = (tkj_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, e->message);
    longjmp(e->jump, 1);
}

static void on_message(j_common_ptr cinfo, int level)
{
    if (level < 0) { // a warning: corrupt data libjpeg would decode anyway
        tkj_error *e = (tkj_error *)cinfo->err;
        (*cinfo->err->format_message)(cinfo, e->message);
        longjmp(e->jump, 1);
    }
}

static void put_error(char *err, int err_len, const char *text)
{
    if (err && err_len > 0) {
        snprintf(err, (size_t)err_len, "%s", text);
    }
}

TKJ_API void *tkj_create(void)
{
    if (tkj_load_error()[0])
        return NULL;
    tkj_decoder *volatile d = calloc(1, sizeof(tkj_decoder));
    if (!d)
        return NULL;
    d->cinfo.err = J.std_error(&d->error.pub);
    d->error.pub.error_exit = on_error;
    d->error.pub.emit_message = on_message;
    if (setjmp(d->error.jump)) {
        free(d);
        return NULL;
    }
    J.create(&d->cinfo, JPEG_LIB_VERSION, sizeof(struct jpeg_decompress_struct));
    return d;
}

TKJ_API void tkj_destroy(void *handle)
{
    tkj_decoder *d = handle;
    if (!d)
        return;
    J.destroy(&d->cinfo);
    free(d);
}

// Decodes the rectangle (x, y, w, h) of the image at scale scale_num/8 (coordinates in the scaled image) in place into
// dst, a buffer laid out as the whole scaled image (width x height pixels, rows dst_stride bytes apart): packed BGR
// (3 bytes a pixel), or gray when gray != 0. Only the rectangle, widened to the iMCU grid plus the margins described
// above, is written; the rest of dst is left as it was. width and height are the scaled size the caller expects (from
// the header of the clip's first frame).
// Returns 0 ok, 1 invalid argument (also: a rectangle outside the image), 2 libjpeg error or warning (message in err),
// 4 the image's scaled size is not width x height (its size in err).
TKJ_API int tkj_decode_region(void *handle, const uint8_t *jpeg, size_t length, int scale_num, int width, int height,
                              int x, int y, int w, int h, int gray, uint8_t *dst, int dst_stride, char *err, int err_len)
{
    tkj_decoder *d = handle;
    int channels = gray ? 1 : 3;
    if (!d || !jpeg || length == 0 || !dst || scale_num < 1 || scale_num > 8 || width <= 0 || height <= 0 || x < 0 ||
        y < 0 || w <= 0 || h <= 0 || (long)x + w > width || (long)y + h > height || dst_stride < width * channels) {
        put_error(err, err_len, "invalid argument");
        return 1;
    }
    struct jpeg_decompress_struct *c = &d->cinfo;
    if (setjmp(d->error.jump)) {
        put_error(err, err_len, d->error.message);
        J.abort(c);
        return 2;
    }
    J.mem_src(c, jpeg, (unsigned long)length);
    J.read_header(c, TRUE);
    c->scale_num = (unsigned int)scale_num;
    c->scale_denom = 8;
    c->out_color_space = gray ? JCS_GRAYSCALE : JCS_EXT_BGR;
    J.calc_output_dimensions(c);
    if ((int)c->output_width != width || (int)c->output_height != height) {
        if (err && err_len > 0)
            snprintf(err, (size_t)err_len, "%dx%d", (int)c->output_width, (int)c->output_height);
        J.abort(c);
        return 4;
    }
    J.start(c);
    // One iMCU of margin on each side that has one: the upsampler then sees the same neighbours as in a whole decode.
    int block_w = c->max_h_samp_factor * c->min_DCT_scaled_size;
    int block_h = c->max_v_samp_factor * c->min_DCT_scaled_size;
    int left = x - block_w < 0 ? 0 : x - block_w;
    int right = x + w + block_w > width ? width : x + w + block_w;
    JDIMENSION xoffset = (JDIMENSION)left, cropped = (JDIMENSION)(right - left);
    if (left > 0 || right < width)
        J.crop_scanline(c, &xoffset, &cropped); // moves xoffset down to the iMCU grid and widens the width to match
    int top = y - block_h < 0 ? 0 : (y - block_h) / block_h * block_h;
    if (top > 0)
        J.skip_scanlines(c, (JDIMENSION)top);
    JSAMPROW rows[64];
    uint8_t *origin = dst + (size_t)xoffset * (size_t)channels;
    int end = y + h;
    while ((int)c->output_scanline < end) {
        int first = (int)c->output_scanline, count = end - first > 64 ? 64 : end - first;
        for (int i = 0; i < count; i++)
            rows[i] = origin + (size_t)(first + i) * (size_t)dst_stride;
        if (J.read_scanlines(c, rows, (JDIMENSION)count) == 0) {
            J.abort(c);
            put_error(err, err_len, "the image ended early");
            return 2;
        }
    }
    J.abort(c); // the rows below the rectangle are not needed
    if (err && err_len > 0)
        err[0] = '\0';
    return 0;
}
