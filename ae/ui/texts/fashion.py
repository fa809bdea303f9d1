"""Texts for a model of Fashion-MNIST (the second edition's chapter 3): the Chinese names of its
ten classes (`class.fashion-mnist.<label>`; the English ones are `ae.data.classes.FASHION`), and
the Fashion-MNIST variants (`<key>@fashion`) of texts that speak of digits, which
`ae.ui.classes.tx` picks when the model in play was trained on clothes."""

from ae.data.classes import FASHION

_NAMES_ZH = ("T恤/上衣", "裤子", "套头衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包", "短靴")

_VARIANTS = {
    # -- the pages' introductions ------------------------------------------------------------
    "wall.intro": (
        "Every test image leaves one mark on N.Coder's wall. Pick any spot and D.Coder paints "
        "what lives there, then see, in numbers, the three defects that make this wall a poor "
        "place to paint *new* clothes from.",
        "每张测试图像都在 N.Coder 的墙上留下一个标记。点选墙上任意位置，D.Coder 就会画出那里的画；"
        "然后用数字看看三个缺陷：正是它们让这面墙很难用来画出*新的*服饰。"),
    "generation.intro": (
        "D.Coder can paint from *any* point of the wall, not only from the marks his brother "
        "pinned. That is what would make the autoencoder a generative model: pick a new point, "
        "get a new item of clothing. Move a point and watch what he paints, walk in a straight "
        "line from one item to another, and see why the variational autoencoder changes the "
        "rules.",
        "D.Coder 可以从墙上的*任何*一点作画，而不只是从兄弟钉过标记的地方。正是这一点让自编码器"
        "有可能成为生成模型：选一个新的点，得到一件新的服饰。移动一个点看看他画出什么，沿直线从"
        "一件服饰走到另一件，再看看变分自编码器为什么要改变规则。"),
    # -- the wall --------------------------------------------------------------------------------
    "wall.color": ("Colour the marks by kind of clothing", "按服饰类别给标记上色"),
    "wall.color.help": (
        "Off: all black, like the book's first plot. On: one colour and one marker shape per "
        "kind of clothing; click one in the legend to hide it.",
        "关闭：全部黑色，和书中第一张图一样。打开：每类服饰一种颜色和形状；点击图例中的类别可以"
        "隐藏它。"),
    "wall.plot.latent.digit": ("item", "类别"),
    "wall.plot.area_map.digit": ("item", "类别"),
    "wall.plot.area.title": ("Share of the wall and of random points, per kind of clothing",
                             "每类服饰的墙面份额和随机点份额"),
    "wall.plot.area.x_title": ("item", "类别"),
    "wall.pick.code": ("Test image {index}, a **{digit}**, is pinned here. Left: the original; "
                       "right: what D.Coder paints from its mark.",
                       "第 {index} 张测试图像（**{digit}**）钉在这里。左：原图；"
                       "右：D.Coder 根据标记画出的图。"),
    "wall.pick.near": ("Nearest mark: a **{digit}**, {dist} away, about {times:.0f} × the "
                       "usual distance between neighbouring marks.",
                       "最近的标记：**{digit}**，距离 {dist}，约为相邻标记通常间距的 "
                       "{times:.0f} 倍。"),
    "wall.pick.clf": ("The clothing classifier reads it as a **{pred}** ({conf:.0%} sure).",
                      "服饰分类器认为它是 **{pred}**（把握 {conf:.0%}）。"),
    "wall.rec.h": ("How many of them are recognisable items of clothing?",
                   "其中有多少是可辨认的服饰？"),
    "wall.rec.help": ("A small classifier trained on real Fashion-MNIST pictures names the item "
                      "with at least {thr:.0%} confidence. Measured on {n:,} pictures.",
                      "一个在真实 Fashion-MNIST 图像上训练的小分类器，以至少 {thr:.0%} "
                      "的把握认出这件服饰。在 {n:,} 张图上测得。"),
    "wall.rec.none": ("No clothing classifier ships with this copy of the app "
                      "(assets/classifier_fashion.pt), so the pictures cannot be scored.",
                      "这份应用没有附带服饰分类器（assets/classifier_fashion.pt），"
                      "所以无法给这些图打分。"),
    "wall.rec.text.more": (
        "Paintings made from marks that N.Coder really pinned are read as clothes more often "
        "than paintings made at random spots: random points land in big areas, in gaps and "
        "between kinds of clothing.",
        "由 N.Coder 真正钉下的标记画出的画，比在随机位置画出的画更常被认成服饰："
        "随机点会落在大面积的区域、空隙里，或者两类服饰之间。"),
    "wall.rec.per_digit": ("What {n:,} random points were recognised as: {per}",
                           "{n:,} 个随机点被认成的服饰：{per}"),
    "wall.d1.ratio.help": (
        "The biggest item's share of the occupied wall over the smallest's (a fine grid over "
        "the box; each cell goes to the kind of clothing most of its marks belong to).",
        "最大类别所占墙面份额与最小类别份额之比（在方框上铺一张细网格，每格归属于格内标记最多"
        "的服饰类别）。"),
    "wall.d1.big": ("largest: {d}", "最大：{d}"),
    "wall.d1.small": ("smallest: {d}", "最小：{d}"),
    "wall.d1.text": (
        "Some kinds of clothing spread over a wide stretch of the wall while others are "
        "squeezed into a corner: {big} owns {ratio:.1f} times the wall of {small}. Pick points "
        "at random and you mostly get the big ones: {big} wins {big_s:.0%} of random points, "
        "{small} only {small_s:.0%}, though each kind is a tenth of the test images.",
        "有的服饰类别占了墙上一大片，有的却挤在角落里：{big} 占的墙面是 {small} 的 {ratio:.1f} "
        "倍。随机取点，得到的多半是面积大的类别：{big} 得到 {big_s:.0%} 的随机点，{small} 只有 "
        "{small_s:.0%}，而测试图像里每类服饰都占十分之一。"),
    "wall.d1.col.digit": ("item", "类别"),
    "wall.cont.text": (
        "If (2, -2) paints a good item of clothing, must (2.1, -2.1) paint a similar one? "
        "Nothing in training asks for it: the loss only looks at the marks that were pinned, "
        "never at the wall between them. Compare any two points.",
        "如果 (2, -2) 能画出一件像样的服饰，(2.1, -2.1) 就一定能画出相似的吗？训练中没有任何"
        "东西要求这一点：损失只看钉下的标记，从不看标记之间的墙面。比较任意两个点试试。"),
    # -- reconstructions -------------------------------------------------------------------------
    "reconstructions.fig.hover": ("test image {index} · {label}<br>mark {code}<br>"
                                  "MSE {mse:.4f}",
                                  "测试图像 {index} · {label}<br>标记 {code}<br>"
                                  "MSE {mse:.4f}"),
    "reconstructions.col.digit": ("item", "类别"),
    "reconstructions.accept.q": ("Which repaintings would you accept as the same item of "
                                 "clothing? Click them (left to right).",
                                 "你认为哪些重画的图还能算是同一件服饰？点选它们（从左到右编号）。"),
    "reconstructions.worst.h": ("The worst repainting of each kind of clothing",
                                "每类服饰中重画得最差的一张"),
    "reconstructions.worst.intro": (
        "Of all {n:,} test images, the one of each kind of clothing that D.Coder repaints "
        "worst. They are often unusual ones (a pattern, an odd shape): a rare look gets no "
        "place of its own on the wall, so it is pinned near the common look and repainted "
        "like it.",
        "在全部 {n:,} 张测试图像中，每类服饰里 D.Coder 重画得最差的那一张。它们通常是不寻常的"
        "（有花纹、形状特别）：少见的样子在墙上没有自己的位置，只能被钉在常见样子的附近，"
        "于是被画成了常见的样子。"),
    "reconstructions.worst.title": ("The worst of each kind of clothing", "每类服饰中最差的一张"),
    "reconstructions.bars.title": ("Mean error per kind of clothing", "每类服饰的平均误差"),
    "reconstructions.bars.x": ("item", "类别"),
    "reconstructions.bars.mean": ("all items: {mean:.4f}", "全部服饰：{mean:.4f}"),
    # -- generation ------------------------------------------------------------------------------
    "generation.part.walk": ("② A walk between two items", "② 在两件服饰之间走一走"),
    "generation.wall.digit": ("item", "类别"),
    "generation.nearest": (
        "Nearest mark of a test image: #{index} (a {digit}), at distance {dist} on the "
        "picture. Far from every mark means a gap: no training image ever asked D.Coder to "
        "paint well there.",
        "最近的测试图像标记：#{index}（{digit}），在图上的距离为 {dist}。离所有标记都很远，"
        "就说明这里是空隙：没有任何训练图像要求 D.Coder 在这里画好。"),
    "generation.interp.h": ("Walk from one item of clothing to another",
                            "从一件服饰走到另一件"),
    "generation.interp.from": ("From a", "从"),
    "generation.interp.to": ("to a", "到"),
    "generation.interp.strip": ("From test image #{a} (a {da}) to #{b} (a {db})",
                                "从测试图像 #{a}（{da}）到 #{b}（{db}）"),
    "generation.meaning": (
        "A good generative model turns any point you sample into something that looks like "
        "its training data. Here, many slider positions and many steps of the walk paint "
        "shapes that are no item of clothing at all, or the picture jumps from one kind to "
        "another within a single step. The brothers only practised repainting the marks they "
        "had pinned: nothing in their training asked the empty wall between marks to mean "
        "anything, or neighbouring points to paint similar pictures. Add the three defects of "
        "the wall page (uneven areas, no centre and no bounds, gaps) and it is not even clear "
        "where to sample from.",
        "好的生成模型能把你采样到的任何点都变成像训练数据的东西。而在这里，许多滑块位置和直线上"
        "的许多步画出的根本不是服饰，或者图像在一步之间就从一类服饰跳到了另一类。兄弟俩只练习过"
        "重画自己钉过的标记：训练从没要求标记之间的空墙有什么意义，也没要求相邻的点画出相似的图。"
        "再加上“潜在空间之墙”页的三个缺陷（面积不均、没有中心也没有边界、空隙），我们甚至不知道"
        "该从哪里采样。"),
    "generation.vae": (
        "The variational autoencoder (VAE), the next step of the series, changes two "
        "things.\n\n"
        "1. **The encoder outputs a distribution, not a point.** For each image N.Coder now "
        "gives a small cloud: a mean and a spread for every coordinate. D.Coder must repaint "
        "from a random point drawn from that cloud, so every point *near* a mark has to paint "
        "the same item of clothing. That is the continuity the autoencoder never had.\n"
        "2. **A second term in the loss pulls the clouds towards one standard normal "
        "distribution** centred at (0, 0) (the Kullback-Leibler divergence). Each of the "
        "three defects meets a force against it:\n"
        "   - *uneven areas*: all kinds of clothing must share the same bell-shaped region, so "
        "none can spread over a huge stretch of wall while another gets a corner;\n"
        "   - *not symmetric, not bounded*: the target is centred on the origin and almost all "
        "of it lies within about three units, so we know where to sample: from the standard "
        "normal itself;\n"
        "   - *gaps*: the clouds overlap and fill the space between the kinds, so the points in "
        "between decode to clothes or smooth blends, not noise.\n\n"
        "The price is a little more blur in the reconstructions, because D.Coder paints from a "
        "slightly random point. Generation gets much better in exchange.",
        "下一篇要讲的变分自编码器（VAE）改变了两件事。\n\n"
        "1. **编码器输出的是一个分布，而不是一个点。** 对每张图像，N.Coder 现在给出一小团“云”："
        "每个坐标的均值和离散程度。D.Coder 必须从这团云里随机抽取的一个点来重画，所以标记*附近*"
        "的每个点都得画出同一类服饰。这正是自编码器从来没有的连续性。\n"
        "2. **损失函数里多了一项，把所有的云都拉向同一个以 (0, 0) 为中心的标准正态分布**"
        "（KL 散度）。三个缺陷各自遇到了一股反作用力：\n"
        "   - *面积不均*：所有服饰类别必须共享同一个钟形区域，任何一类都不能占据一大片墙而让别的"
        "类别只分到一个角落；\n"
        "   - *不对称、无边界*：目标分布以原点为中心，几乎全部落在约 3 个单位之内，所以我们知道"
        "该从哪里采样：直接从标准正态分布采样；\n"
        "   - *空隙*：云彼此重叠，填满了各类服饰之间的空间，所以中间的点会解码成服饰或平滑的过渡，"
        "而不是噪声。\n\n"
        "代价是重建会稍微模糊一些，因为 D.Coder 是从一个略带随机的点作画的。换来的是好得多的"
        "生成效果。"),
    # -- the cure --------------------------------------------------------------------------------
    "cure.row.area_ratio": ("uneven areas: largest / smallest item's share",
                            "面积不均：最大 / 最小服饰类别所占比例"),
    "cure.win.native_recognised": ("More of the VAE's own samples are recognisable items of "
                                   "clothing", "VAE 自己的样本中可辨认的服饰更多"),
    "cure.row.native_evenness": ("own samples: evenness over the ten kinds of clothing",
                                 "按自己的方式采样：十类服饰的均匀度"),
    "cure.win.native_evenness": ("The VAE's own samples cover the ten kinds of clothing more "
                                 "evenly", "VAE 自己的样本更均匀地覆盖十类服饰"),
    "cure.win.normal_recognised": ("From the same N(0, I), more of the VAE's pictures are "
                                   "items of clothing", "同样从 N(0, I) 采样，VAE 画出的服饰更多"),
    "cure.win.normal_evenness": ("From the same N(0, I), the VAE's items are more evenly "
                                 "spread", "同样从 N(0, I) 采样，VAE 画出的服饰分布更均匀"),
    "cure.row.line_jump": ("biggest change in one step along a line between two test images "
                           "(MSE)",
                           "在两张测试图像之间的直线上，一步之内最大的图像变化（均方误差）"),
    "cure.plot.walls.digit": ("item", "类别"),
    "cure.walls.text": (
        "Every test image's mark, for each model (the VAE's mark is the centre of its patch, "
        "`mu`). Both panels share their axes and colours, so a wall that is twice as wide "
        "looks twice as wide. Click an item in the legend to hide it on both.",
        "每个模型上每张测试图的标记（VAE 的标记是它斑块的中心 `mu`）。两幅图的坐标轴和颜色相同，"
        "所以宽一倍的墙看起来就宽一倍。点击图例中的类别可以在两幅图上同时隐藏它。"),
    "cure.table.text": (
        "The same measurements on the 10,000 test images for both models (defects 1 to 3 as "
        "on the wall page; generation scored by the clothing classifier; continuity along a "
        "short step and along lines between test images). The verdict comes from the "
        "numbers: where the VAE does not do better, the row says so.",
        "两个模型用同样的方法在 10,000 张测试图上测量（缺陷 1 到 3 与“潜在空间之墙”页面相同；"
        "生成由服饰分类器打分；连续性看走一小步和沿着两张测试图像之间的直线走）。结论由数字决定："
        "VAE 没有做得更好的地方，这一行就会直说。"),
    "cure.h.cont": ("Continuity: from the first test {a} to the first test {b}",
                    "连续性：从第一张测试{a}走到第一张测试{b}"),
    # -- the lesson ------------------------------------------------------------------------------
    "lesson.reconstructions.text": (
        "How good are D.Coder's copies? Every test image goes through both networks; its "
        "error says how far the copy is from the original.",
        "D.Coder 的复制品有多好？每张测试图像都经过两个网络；误差说明复制品离原图有多远。"),
    "lesson.q.worst_digit": ("Which kind of clothing will D.Coder copy worst, on average?",
                             "平均来说，D.Coder 哪类服饰复制得最差？"),
    "lesson.a.worst_digit": (
        "**{digit}**: mean error **{mse:.4f}**. {best} is copied best ({best_mse:.4f}).",
        "**{digit}**：平均误差 **{mse:.4f}**。{best} 复制得最好（{best_mse:.4f}）。"),
    "lesson.wall.text": (
        "Every test image, pinned: each dot is one mark, coloured by the kind of clothing it "
        "came from. Items that look alike should sit together.",
        "所有测试图像都钉上墙：每个点是一个标记，颜色表示它来自哪类服饰。"
        "看起来相像的服饰应该挨在一起。"),
    "lesson.q.neighbours": (
        "Take any mark. How often is the mark nearest to it the same kind of clothing?",
        "任取一个标记。离它最近的标记有多大比例是同一类服饰？"),
    "lesson.a.neighbours": (
        "For **{share:.0%}** of the marks, the nearest mark shows the same kind of clothing.",
        "对 **{share:.0%}** 的标记来说，离它最近的标记是同一类服饰。"),
    "lesson.q.largest_area": ("Which kind of clothing will own the largest part of the wall?",
                              "哪类服饰会占据墙上最大的一块？"),
    "lesson.a.largest_area": (
        "**{digit}** owns **{share:.0%}** of the occupied wall; {small} only "
        "{small_share:.0%}. Random points will paint a {digit} far more often.",
        "**{digit}** 占了有标记区域的 **{share:.0%}**；{small} 只有 "
        "{small_share:.0%}。随机点画出{digit}的机会要多得多。"),
    "lesson.generation.text": (
        "The book's experiment: {n} random points of the wall, and D.Coder paints each one. "
        "A clothing classifier judges whether each picture is a recognisable item of clothing.",
        "书中的实验：在墙上取 {n} 个随机点，让 D.Coder 逐个作画。"
        "一个服饰分类器判断每张图是不是可辨认的服饰。"),
    "lesson.q.readable": (
        "How many of the {n} random points will paint a recognisable item of clothing?",
        "{n} 个随机点中，有几个能画出可辨认的服饰？"),
    "lesson.a.readable": (
        "**{k} of {n}**: the classifier reads them as one kind of clothing with 90% "
        "confidence or more.",
        "**{n} 个中有 {k} 个**：分类器以 90% 以上的把握把它们认作某类服饰。"),
    "cure.live.plan": (
        "The 2nd edition's VAE (ReLU, the images padded to 32 x 32, binary cross-entropy), "
        "trained on the first {n:,} training images for {epochs} epochs ({total:,} images in "
        "all; Adam {lr}, batch {bs}, r_loss_factor {factor}; its notebook trains all 60,000 "
        "for 5 epochs at 500): a few minutes on a busy 2-core CPU; the time it takes is shown "
        "as it runs.",
        "第二版的 VAE（ReLU，图像填充到 32 x 32，二元交叉熵），用前 {n:,} 张训练图训练 "
        "{epochs} 轮（共 {total:,} 张图；Adam {lr}，批大小 {bs}，r_loss_factor {factor}；"
        "它的 notebook 用全部 60,000 张图、r_loss_factor 500 训练 5 轮）：在繁忙的双核 CPU "
        "上需要几分钟；训练时会显示实际用时。"),
    "lesson.generation.none": (
        "No clothing classifier for these pictures, so nothing to count: judge the {n} by "
        "eye.",
        "没有适用于这些图的服饰分类器，所以无法计数：用眼睛判断这 {n} 张吧。"),
}

TEXTS = {
    **{f"class.fashion-mnist.{i}": (en, zh)
       for i, (en, zh) in enumerate(zip(FASHION, _NAMES_ZH, strict=True))},
    **{f"{key}@fashion": pair for key, pair in _VARIANTS.items()},
}
