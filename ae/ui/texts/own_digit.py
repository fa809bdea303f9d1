"""Texts of the own-digit page: a learner's digit drawn, uploaded or photographed, prepared like
MNIST, pinned on the wall and repainted; and the refusals and notes of `ae.data.digit_image`
(their English is the core's own MESSAGES and NOTES, made sentences; the Chinese is here)."""

from ae.data.digit_image import MESSAGES, NOTES

_ZH_ERRORS = {  # what the file reader refused (ae.data.digit_image.MESSAGES)
    "empty": "文件是空的：请选择一张数字图片（PNG、JPEG、WebP）。",
    "too_large": "文件有 {mb:.0f} MB；只读取 {limit} MB 以内的图片。请换一张小一些的照片。",
    "bomb": "这张图片声称有 {pixels} 个像素，太多了，无法安全打开（最多 {limit} 百万）；"
            "它没有被解码。请换一张小一些的照片。",
    "not_image": "这个文件不是可读取的图片（PNG、JPEG、WebP、GIF、BMP 或 TIFF）。",
    "damaged": "图片已损坏或不完整，无法读取。",
    "not_2d": "这张图片的形状无法读取（{shape}）。",
    "no_ink": "没有找到笔迹：图片是空白的（或数字太淡）。请在白纸上画或拍一个颜色更深的数字。",
}
_ZH_NOTES = {  # what it did on the way (ae.data.digit_image.NOTES)
    "frames": "文件有 {frames} 帧；使用第一帧。",
    "sixteen_bit": "16 位图片，已缩放到 0..1。",
    "transparent": "透明部分按白纸处理。",
}


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] + ("" if text.endswith(".") else ".")


TEXTS = {
    **{f"own.err.{k}": (_sentence(MESSAGES[k]), zh) for k, zh in _ZH_ERRORS.items()},
    **{f"own.note.{k}": (_sentence(NOTES[k]), zh) for k, zh in _ZH_NOTES.items()},
    "nav.own": ("Your digit", "你的数字"),
    "own_digit.title": ("Your digit on the wall", "把你的数字钉上墙"),
    "own_digit.intro": (
        "Where would *your* 7 go? Draw a digit, upload a photo of one, or take one with the "
        "camera. It is prepared exactly like MNIST's digits, then N.Coder pins it on the wall "
        "of the model in play and D.Coder repaints it from that mark alone.",
        "*你的* 7 会被钉在哪里？画一个数字、上传一张数字照片，或用摄像头拍一张。它会像 MNIST "
        "的数字一样被处理，然后 N.Coder 把它钉在当前模型的墙上，"
        "D.Coder 只凭这个标记把它重新画出来。"),

    # -- 1. the input -----------------------------------------------------------------------------
    "own.h.input": ("1. Your digit", "1. 你的数字"),
    "own.source": ("Where it comes from", "数字从哪里来"),
    "own.source.draw": ("Draw", "画一个"),
    "own.source.upload": ("Upload a photo", "上传照片"),
    "own.source.camera": ("Camera", "摄像头"),
    "own.draw.help": (
        "Draw one digit with the mouse or a finger, as large as you like, anywhere on the "
        "canvas: the preparation moves and scales it. The toolbar under the canvas undoes the "
        "last stroke (↶) or clears the canvas (🗑).",
        "用鼠标或手指画一个数字，大小、位置随意：后面的处理会移动并缩放它。画布下方的工具栏可以"
        "撤销上一笔（↶）或清空画布（🗑）。"),
    "own.pen": ("Pen width", "笔的粗细"),
    "own.pen.help": (
        "MNIST's strokes are about a seventh of a digit's height. A much thinner pen gives a "
        "digit unlike any the encoder has seen: watch where it lands.",
        "MNIST 的笔画大约是数字高度的七分之一。笔太细，画出的数字就不像编码器见过的任何数字："
        "看看它会落在哪里。"),
    "own.upload": ("A photo or scan of one handwritten digit (PNG, JPEG, WebP; up to {mb} MB)",
                   "一张手写数字的照片或扫描件（PNG、JPEG、WebP；最大 {mb} MB）"),
    "own.camera": ("Take a photo of one digit written large on plain paper",
                   "拍一张写在白纸上的大号数字"),
    "own.said": ("Which digit did you mean?", "你写的是哪个数字？"),
    "own.said.help": (
        "Your mark is coloured by it, and the classifier's readings are checked against it.",
        "你的标记按它着色，分类器的读数也与它对照。"),
    "own.waiting.draw": ("Draw a digit on the canvas to see it prepared and pinned.",
                         "在画布上画一个数字，就能看到它的处理过程和它在墙上的位置。"),
    "own.waiting.upload": ("Choose a picture to see it prepared and pinned.",
                           "选择一张图片，就能看到它的处理过程和它在墙上的位置。"),
    "own.waiting.camera": ("Take a photo to see it prepared and pinned.",
                           "拍一张照片，就能看到它的处理过程和它在墙上的位置。"),

    "own.err.kept": ("Nothing else changed: your digits on the wall are as they were.",
                     "其他一切都没有改变：你钉在墙上的数字还在原处。"),

    # -- 2. the preparation -----------------------------------------------------------------------
    "own.h.steps": ("2. Prepared like MNIST, step by step", "2. 像 MNIST 一样处理，一步一步"),
    "own.steps.text": (
        "Every MNIST digit was made the same way: white ink on black, scaled so that its longer "
        "side is 20 pixels, then placed in a 28 × 28 frame so that its centre of mass sits in "
        "the middle. The encoder has only ever seen such pictures. Without these steps a digit "
        "drawn in a corner, or small, would land somewhere else on the wall: not because it is "
        "another digit, but because it is another kind of picture.",
        "每个 MNIST 数字都是这样制作的：黑底白字，缩放到长边 20 像素，再放进 28 × 28 的画框，"
        "使重心位于正中。编码器只见过这样的图片。没有这些步骤，画在角落里或画得很小的数字会落在"
        "墙上别的地方：不是因为它是另一个数字，而是因为它是另一种图片。"),
    "own.step.grey": ("greyscale, {h} × {w}", "灰度，{h} × {w}"),
    "own.step.dark.inverted": ("dark ground: inverted (light paper)", "黑底：已反相（浅色纸）"),
    "own.step.dark.kept": ("dark ground: already dark", "黑底：本来就是深色"),
    "own.step.cropped": ("cropped to the ink, {h} × {w}", "裁剪到笔迹，{h} × {w}"),
    "own.step.scaled": ("longer side 20 px, {h} × {w}", "长边 20 像素，{h} × {w}"),
    "own.step.centred": ("centred by its mass in 28 × 28", "按重心放进 28 × 28 的正中"),

    # -- 3. where it lands ------------------------------------------------------------------------
    "own.h.land": ("3. Where N.Coder pins it", "3. N.Coder 把它钉在哪里"),
    "own.land.text": (
        "The gold star is your digit's mark among the {n:,} test marks; the stars with a digit "
        "beside them are the digits you kept. D.Coder repaints your digit from the mark alone, "
        "as it repaints every test image.",
        "金色星星是你的数字在 {n:,} 个测试标记中的位置；旁边写着数字的星星是你保留下来的数字。"
        "D.Coder 只凭这个标记重画你的数字，就像它重画每一张测试图片一样。"),
    "own.land.at": ("Its mark: **{pt}**.", "它的标记：**{pt}**。"),
    "own.land.pca": ("This model's wall has {z} dimensions: the figure shows their two main "
                     "directions (PCA), your digit projected like every test mark.",
                     "这个模型的墙有 {z} 维：图中显示它的两个主方向（PCA），你的数字和每个测试标记"
                     "一样被投影。"),
    "own.land.sigma": (
        "A VAE pins a patch, not a point: the gold ellipses are 1 and 2 spreads around its mu, "
        "σ = ({sx}, {sy}). Any point of the patch could have been drawn for your digit while "
        "the VAE trained.",
        "VAE 钉下的是一小块区域而不是一个点：金色椭圆是 mu 周围 1 倍和 2 倍离散度，σ = ({sx}, "
        "{sy})。训练时，这块区域里的任何一点都可能被抽中代表你的数字。"),
    "own.spread.title": ("The patch N.Coder pins for your digit", "N.Coder 为你的数字钉下的区域"),
    "own.land.input": ("your digit, prepared", "你的数字（处理后）"),
    "own.land.repainted": ("D.Coder's repainting", "D.Coder 的重画"),
    "own."
    "read": ("The digit classifier reads **{d}** ({p:.0%})", "数字分类器读作 **{d}**（{p:.0%}）"),
    "own.read.agrees": ("as you said", "与你说的一致"),
    "own.read.differs": ("you said {said}", "你说的是 {said}"),
    "own.read.none": ("(no digit classifier is shipped: no reading)",
                      "（没有附带数字分类器：无法读取）"),
    "own.h.nearest": ("The five nearest test marks", "最近的五个测试标记"),
    "own.nearest.text": (
        "The test images whose marks lie closest to yours: the pictures N.Coder finds most "
        "like your digit.",
        "标记离你的标记最近的测试图片：N.Coder 认为与你的数字最相像的图片。"),
    "own.nearest.cap": ("{digit}, {dist} away", "{digit}，距离 {dist}"),
    "own.pin": ("Keep it on the wall", "把它留在墙上"),
    "own.pin.help": (
        "Your digit stays on this page's wall (and, with the switch below, on the wall pages) "
        "while this tab is open; the canvas starts afresh for the next one.",
        "只要这个标签页开着，你的数字就留在本页的墙上（打开下方开关后，也会出现在其他墙的页面上）；"
        "画布会清空，方便画下一个。"),
    "own.pinned": ("Digit {n} is on the wall.", "第 {n} 个数字已经上墙。"),

    # -- 4. the session's digits ------------------------------------------------------------------
    "own.h.mine": ("4. Your digits ({n} of {limit})", "4. 你的数字（{n} / {limit}）"),
    "own.mine.empty": (
        "The digits you keep appear here and stay on the wall while this tab is open (up to "
        "{limit}). Only you see them.",
        "你保留的数字会出现在这里，只要这个标签页开着就一直留在墙上（最多 {limit} 个）。"
        "只有你能看到。"),
    "own.mine.show": ("Show my digits on the wall pages", "在墙的页面上显示我的数字"),
    "own.mine.show.help": (
        "Your kept digits as outlined stars on the wall of every page that shows one, moved to "
        "wherever the model in play pins them.",
        "把你保留的数字以描边星星的形式显示在每个有墙的页面上，位置按当前模型重新计算。"),
    "own.mine.png": ("Download the pictures (PNG)", "下载图片（PNG）"),
    "own.mine.csv": ("Download the marks (CSV)", "下载标记坐标（CSV）"),
    "own.mine.remove": ("Remove", "移除"),
    "own.mine.clear": ("Remove all", "全部移除"),
    "own.mine.cap": ("{n}: {said}, at {pt}", "{n}：{said}，位于 {pt}"),
    "own.mine.full": ("This tab already has {limit} digits on the wall; remove one to keep "
                      "another.",
                      "这个标签页已经有 {limit} 个数字在墙上；移除一个才能再保留新的。"),

    # -- the figure -------------------------------------------------------------------------------
    "own.plot.landing.title": ("Where N.Coder pins your digit", "N.Coder 把你的数字钉在哪里"),
    "own.plot.landing.own": ("your digits", "你的数字"),
    "own.plot.landing.mark": ("your digit", "你的数字"),
    "own.plot.landing.now": ("this drawing", "当前这个数字"),
    "wall.pick.kind.own": ("Your digit {index}, kept on the *Your digit* page.",
                           "你的第 {index} 个数字，保留在“你的数字”页面。"),
}
