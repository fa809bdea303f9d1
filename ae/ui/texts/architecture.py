"""Texts of the architecture page: the Keras summaries, the feature maps, stride 2, and the
parameter count of one layer. Keys under "architecture.blocks/maps/slide." translate the
figure builders' texts (ae.plots.architecture *_TEXTS) and keep their {fields}."""

TEXTS = {
    "architecture.title": ("What the two brothers are made of", "兄弟俩是由什么构成的"),
    "architecture.intro": (
        "N.Coder, the **encoder**, is a stack of convolutions that squeezes a 28 × 28 image "
        "into a few numbers; D.Coder, the **decoder**, runs the same stack backwards with "
        "transposed convolutions. Move the sliders in the sidebar's *Architecture* panel: "
        "every table and picture on this page follows them.",
        "N.Coder（**编码器**）是一串卷积层，它把一张 28 × 28 的图像压缩成几个数；D.Coder（**解"
        "码器**）用转置卷积把同样的结构倒过来走一遍。拖动侧边栏“网络结构”里的滑块，本页"
        "所有的表格和图都会随之改变。"),
    # -- the summaries
    "architecture.summary.h": ("The layers, as Keras lists them",
                               "逐层列表（Keras 的写法）"),
    "architecture.summary.note": (
        "The same table Keras prints for `AE.encoder.summary()` and `AE.decoder.summary()`: "
        "each layer's output shape (`None` stands for the batch size) and its number of "
        "learned parameters.",
        "这就是 Keras 中 `AE.encoder.summary()` 和 `AE.decoder.summary()` 打印的表：每一"
        "层输出的形状（`None` 代表批大小）以及它要学习的参数个数。"),
    "architecture.vae": (
        "This is the book's **variational autoencoder**: the same layers, but N.Coder's last "
        "dense layer is split in two heads. `mu` gives the centre of a patch on the wall and "
        "`log_var` the log of its variance (its spread is exp(log_var / 2)), {z} numbers each; "
        "`encoder_output` then draws the mark at random from that patch, "
        "z = mu + exp(log_var / 2) · ε with ε ~ N(0, I). Training uses the random draw; the "
        "pages of this dashboard show mu. D.Coder is the autoencoder's decoder, unchanged.",
        "这是书中的**变分自编码器**：层还是这些层，但 N.Coder 最后的全连接层分成了两个输出头。"
        "`mu` 给出墙上一小块区域的中心，`log_var` 给出它方差的对数（区域的大小是 "
        "exp(log_var / 2)），各有 {z} 个数；`encoder_output` 再从这块区域里随机抽出标记，"
        "z = mu + exp(log_var / 2) · ε，其中 ε ~ N(0, I)。训练时用随机抽出的标记；本仪表盘的"
        "各页显示的是 mu。D.Coder 就是自编码器的解码器，没有变化。"),
    "architecture.invalid": (
        "The sidebar's network cannot be built, so there is nothing to summarise: {msg}\n\n"
        "Change the layer lists in the sidebar, or press *Reset to the article's network*.",
        "侧边栏中的网络无法构建，所以这里没有可以列出的层：{msg}\n\n请修改侧边栏里的层设"
        "置，或点击“恢复文章中的网络”。"),
    "architecture.table.encoder": ("Encoder (N.Coder)", "编码器（N.Coder）"),
    "architecture.table.decoder": ("Decoder (D.Coder)", "解码器（D.Coder）"),
    "architecture.totals": (
        "Total params: **{total:,}**  \nTrainable params: {trainable:,}  \n"
        "Non-trainable params: {frozen:,}",
        "参数总数（Total params）：**{total:,}**  \n可训练参数（Trainable）：{trainable:,}  "
        "\n不可训练参数（Non-trainable）：{frozen:,}"),
    "architecture.keras": ("As Keras prints it", "Keras 打印出来的样子"),
    "architecture.whole": (
        "Encoder + decoder: **{enc:,} + {dec:,} = {total:,}** parameters, all learned together "
        "by one loss.",
        "编码器 + 解码器：**{enc:,} + {dec:,} = {total:,}** 个参数，由同一个损失函数一起"
        "训练。"),
    "architecture.bn_dropout": (
        "Batch norm (now **{bn}**) adds a BatchNormalization layer after each {act} with 4 "
        "numbers per channel: γ and β are learned, the moving mean and variance are only "
        "tracked, hence the non-trainable params. Dropout (now **{do}**) adds a Dropout(0.25) "
        "layer with no parameters at all: while training it silences a random quarter of the "
        "activations.",
        "批标准化（当前：**{bn}**）会在每个 {act} 后加一层 BatchNormalization，每个"
        "通道 4 个数：γ 和 β 是学出来的，移动均值和方差只是被记录下来，所以出现了“不可训"
        "练参数”。Dropout（当前：**{do}**）加一层 Dropout(0.25)，它没有任何参数，只是在"
        "训练时随机关掉四分之一的激活值。"),
    "architecture.on": ("on", "开"),
    "architecture.off": ("off", "关"),
    # -- the picture of the feature maps
    "architecture.blocks.h": ("The feature maps shrink, then grow",
                              "特征图先缩小，再放大"),
    "architecture.blocks.caption": (
        "Height and depth of a block are the map's height and width, its thickness grows with "
        "the number of channels (filters). Each stride-2 convolution halves height and width; "
        "each stride-2 transposed convolution doubles them. {n_in:,} pixels go in and the "
        "encoder must say everything about them in **{z}** number(s).",
        "方块的高和纵深代表特征图的高和宽，厚度随通道数（卷积核个数）增加。每个步长为 2 "
        "的卷积把高和宽减半，每个步长为 2 的转置卷积再把它们加倍。输入有 {n_in:,} 个像素"
        "，编码器必须只用 **{z}** 个数把它们说清楚。"),
    "architecture.blocks.title": (
        "The feature maps: height × width × channels, image → code → image",
        "特征图：高 × 宽 × 通道数，图像 → 编码 → 图像"),
    "architecture.blocks.encoder": ("encoder", "编码器"),
    "architecture.blocks.decoder": ("decoder", "解码器"),
    "architecture.blocks.input": ("input", "输入"),
    "architecture.blocks.z": ("code z", "编码 z"),
    "architecture.blocks.conv": ("conv {k}×{k}<br>stride {s}", "卷积 {k}×{k}<br>步长 {s}"),
    "architecture.blocks.conv_t": ("conv_t {k}×{k}<br>stride {s}",
                                   "转置卷积 {k}×{k}<br>步长 {s}"),
    "architecture.blocks.flatten": ("flatten<br>+ dense", "展平<br>+ 全连接"),
    "architecture.blocks.reshape": ("dense<br>+ reshape", "全连接<br>+ 变形"),
    "architecture.blocks.hover": ("{name}<br>{shape}", "{name}<br>{shape}"),
    "architecture.blocks.pad": ("zero<br>padding", "补零<br>填充"),
    "architecture.blocks.crop": ("crop", "裁剪"),
    # -- stride 2
    "architecture.stride.h": ("What stride 2 does", "步长 2 做了什么"),
    "architecture.stride.text": (
        "A convolution slides a small kernel (here 3 × 3) over its input and writes one output "
        "pixel wherever it stops. With **stride 1** it stops at every pixel, so the output is "
        "as large as the input. With **stride 2** it jumps two pixels at a time, stops at every "
        "other row and column, and the output has half the height and half the width: a "
        "quarter of the pixels. That is how the encoder gets from 28 × 28 to 7 × 7 without any "
        "pooling layer. Keras' `padding='same'` adds the grey border so the kernel may stand on "
        "the edge; with stride 2 it only pads right and bottom. Press play.",
        "卷积把一个小卷积核（这里是 3 × 3）在输入上滑动，每停一次就写出一个输出像素。**步"
        "长为 1** 时它在每个像素上都停，所以输出和输入一样大；**步长为 2** 时它一次跳两"
        "格，只在隔行隔列的位置停下，输出的高和宽都减半，像素只剩四分之一。编码器就是这"
        "样不用池化层，从 28 × 28 变成 7 × 7 的。Keras 的 `padding='same'` 会补上灰色的"
        "边，让卷积核可以停在边缘；步长为 2 时只在右边和下边补。点“播放”看看。"),
    "architecture.slide.title": (
        "A {k}×{k} kernel sliding over an {n}×{n} input (grey: padding)",
        "{k}×{k} 卷积核在 {n}×{n} 的输入上滑动（灰色：补边）"),
    "architecture.slide.row": (
        "<b>stride {s}</b>: the kernel moves {s} px per step<br>→ {o}×{o} output, {p} "
        "positions",
        "<b>步长 {s}</b>：卷积核每步移动 {s} 格<br>→ {o}×{o} 的输出，共 {p} 个位置"),
    "architecture.slide.output": ("output", "输出"),
    "architecture.slide.play": ("▶ play", "▶ 播放"),
    "architecture.slide.pause": ("❚❚ pause", "❚❚ 暂停"),
    "architecture.maps.h": ("A real digit, before and after stride 2",
                            "一个真实的数字，步长 2 前后"),
    "architecture.maps.pick": ("Test image", "测试图像"),
    "architecture.maps.caption": (
        "Test image {i} (a **{label}**) through the first {n} convolution(s) of the model in "
        "play. Dark = strong response. Each map is one filter's answer to “where do I see my "
        "pattern?”; after the stride-2 layer every map has a quarter of the pixels but still "
        "shows where the strokes are.",
        "第 {i} 张测试图像（数字 **{label}**）经过当前模型的前 {n} 个卷积层。颜色越深，"
        "响应越强。每张特征图是一个卷积核对“我的图案出现在哪里？”的回答；经过步长 2 的那"
        "一层后，每张图只剩四分之一的像素，但仍能看出笔画的位置。"),
    "architecture.maps.untrained": (
        "The model in play is untrained: its filters are random, so the maps are blurred copies "
        "of the digit. Train a model (or pick a shipped one) to see sharper edge detectors.",
        "当前模型还没有训练：卷积核是随机的，所以特征图只是数字的模糊副本。训练一个模型"
        "（或选择现成的模型），就能看到更清晰的边缘检测效果。"),
    "architecture.maps.title": (
        "One test digit through the first convolutions (one square = one pixel)",
        "一个测试数字经过前几个卷积层（一个小方格 = 一个像素）"),
    "architecture.maps.input": ("input {h}×{w}", "输入 {h}×{w}"),
    "architecture.maps.layer": ("{name}, stride {s}: {h}×{w}, {k} of its {n} maps",
                                "{name}，步长 {s}：{h}×{w}，{n} 张特征图中的 {k} 张"),
    "architecture.maps.hover": ("row %{y}, column %{x}<br>value %{z:.3f}<extra></extra>",
                                "第 %{y} 行，第 %{x} 列<br>值 %{z:.3f}<extra></extra>"),
    # -- one layer's parameters
    "architecture.params.h": ("Where a layer's parameter count comes from",
                              "一层的参数个数是怎么来的"),
    "architecture.params.pick": ("Layer", "选择一层"),
    "architecture.params.Conv2D": (
        "**{name}** (Conv2D) has {c_out} filters. Each is a {k} × {k} window over all {c_in} "
        "input channel(s), so it holds {k} × {k} × {c_in} weights, plus one bias:\n\n"
        "**{k} × {k} × {c_in} × {c_out} + {c_out} = {weights:,} + {biases:,} = {total:,}**",
        "**{name}**（Conv2D）有 {c_out} 个卷积核。每个卷积核是覆盖全部 {c_in} 个输入通道"
        "的 {k} × {k} 窗口，所以有 {k} × {k} × {c_in} 个权重，再加一个偏置：\n\n**{k} × "
        "{k} × {c_in} × {c_out} + {c_out} = {weights:,} + {biases:,} = {total:,}**"),
    "architecture.params.Conv2DTranspose": (
        "**{name}** (Conv2DTranspose) counts like a convolution: {c_out} filters, each "
        "{k} × {k} over {c_in} input channel(s), plus one bias per filter:\n\n"
        "**{k} × {k} × {c_in} × {c_out} + {c_out} = {weights:,} + {biases:,} = {total:,}**",
        "**{name}**（Conv2DTranspose）的算法和卷积一样：{c_out} 个卷积核，每个是覆盖 {c_in} "
        "个输入通道的 {k} × {k} 窗口，每个卷积核再加一个偏置：\n\n**{k} × {k} × {c_in} "
        "× {c_out} + {c_out} = {weights:,} + {biases:,} = {total:,}**"),
    "architecture.params.Dense": (
        "**{name}** (Dense) connects each of its {c_in:,} inputs to each of its {c_out:,} "
        "outputs, plus one bias per output:\n\n"
        "**{c_in:,} × {c_out:,} + {c_out:,} = {weights:,} + {biases:,} = {total:,}**",
        "**{name}**（Dense，全连接层）把 {c_in:,} 个输入中的每一个都连到 {c_out:,} 个输"
        "出中的每一个，每个输出再加一个偏置：\n\n**{c_in:,} × {c_out:,} + {c_out:,} = {weights:,} "
        "+ {biases:,} = {total:,}**"),
    "architecture.params.BatchNormalization": (
        "**{name}** (BatchNormalization) keeps 4 numbers for each of its {c_out} channels: "
        "γ and β are learned, the moving mean and variance are only tracked:\n\n"
        "**4 × {c_out} = {weights:,} + {biases:,} + {non_trainable:,} (non-trainable) = "
        "{total:,}**",
        "**{name}**（BatchNormalization，批标准化）为 {c_out} 个通道各保存 4 个数：γ 和 "
        "β 是学出来的，移动均值和方差只是被记录下来：\n\n**4 × {c_out} = {weights:,} + "
        "{biases:,} + {non_trainable:,}（不可训练）= {total:,}**"),
}
