"""Texts of the generation page: painting from any point, interpolation, the bridge to the VAE."""

TEXTS = {
    "generation.part.pick": ("What to generate", "生成什么"),
    "generation.part.point": ("① Any point of the wall", "① 墙上任意一点"),
    "generation.part.walk": ("② A walk between two digits", "② 在两个数字之间走一走"),
    "generation.part.normal": ("③ Samples from N(0, I)", "③ 从 N(0, I) 采样"),
    "generation.title": ("Generation: painting from empty spots on the wall",
                         "生成：在墙上的空白处作画"),
    "generation.intro": (
        "D.Coder can paint from *any* point of the wall, not only from the marks his brother "
        "pinned. That is what would make the autoencoder a generative model: pick a new point, "
        "get a new digit. Move a point and watch what he paints, walk in a straight line from "
        "one digit to another, and see why the variational autoencoder changes the rules.",
        "D.Coder 可以从墙上的*任何*一点作画，而不只是从兄弟钉过标记的地方。正是这一点让自编码器有可"
        "能"
        "成为生成模型：选一个新的点，得到一个新的数字。移动一个点看看他画出什么，沿直线从一个数字走"
        "到"
        "另一个数字，再看看变分自编码器为什么要改变规则。"),
    "generation.point.h": ("Paint from any point", "从任意一点作画"),
    "generation.point.help": ("The sliders span the box of all encoded test images, widened a "
                              "little on every side, so you can also leave the wall.",
                              "滑块覆盖全部测试图像编码所在的矩形范围，并向四周稍微放宽，所以你也可"
                              "以"
                              "走到墙外去。"),
    "generation.slider.x": ("x", "x"),
    "generation.slider.y": ("y", "y"),
    "generation.slider.pca1": ("PCA 1", "主成分 1"),
    "generation.slider.pca2": ("PCA 2", "主成分 2"),
    "generation.slider.z": ("z (the only coordinate)", "z（唯一的坐标）"),
    "generation.projected": (
        "This model's wall has {z} dimensions, more than a screen can show. The sliders move "
        "in the plane of the marks' two main directions (PCA 1 and 2) through their mean, "
        "like the picture on the wall page; the other directions stay at the mean.",
        "这个模型的墙有 {z} 个维度，屏幕画不出来。滑块在标记的两个主方向（主成分 1 和 2）张成的、"
        "穿过标记平均值的平面上移动，与“潜在空间之墙”页的图一致；其余方向固定在平均值。"),
    "generation.one_d": ("This model's wall is a line (z_dim = 1), so one slider is enough.",
                         "这个模型的“墙”只是一条线（z_dim = 1），所以一个滑块就够了。"),
    "generation.decoded": ("What D.Coder paints here", "D.Coder 在这里画出的图"),
    "generation.at": ("Decoded point: **{point}**", "解码的点：**{point}**"),
    "generation.nearest": (
        "Nearest mark of a test image: #{index} (a {digit}), at distance {dist} on the "
        "picture. Far from every mark means a gap: no training image ever asked D.Coder to "
        "paint well there.",
        "最近的测试图像标记：#{index}（一个 {digit}），在图上的距离为 {dist}。离所有标记都很远"
        "，"
        "就说明这里是空隙：没有任何训练图像要求 D.Coder 在这里画好。"),
    "generation.wall.title": ("Where the point sits on the wall", "这个点在墙上的位置"),
    "generation.wall.picked": ("your point", "你选的点"),
    "generation.wall.digit": ("digit", "数字"),
    "generation.wall.index": ("test image", "测试图像"),
    "generation.path.title": ("The straight line on the wall", "墙上的这条直线"),
    "generation.wall.path": ("the straight line", "直线路径"),
    "generation.interp.h": ("Walk from one digit to another", "从一个数字走到另一个数字"),
    "generation.interp.intro": (
        "Pick two test images. Their marks are joined by a straight line on the wall, and "
        "k evenly spaced points of that line are decoded, ends included.",
        "选两张测试图像。在墙上用直线连接它们的标记，再把这条线上等间距的 k 个点（包括两端）解码"
        "出来。"),
    "generation.interp.from": ("From a", "从数字"),
    "generation.interp.to": ("to a", "到数字"),
    "generation.interp.nth": ("which one (0 to {last})", "第几张（0 到 {last}）"),
    "generation.interp.k": ("steps k", "步数 k"),
    "generation.interp.strip": ("From test image #{a} (a {da}) to #{b} (a {db})",
                                "从测试图像 #{a}（一个 {da}）到 #{b}（一个 {db}）"),
    "generation.meaning.h": ("What this means for a generative model", "这对生成模型意味着什么"),
    "generation.meaning": (
        "A good generative model turns any point you sample into something that looks like "
        "its training data. Here, many slider positions and many steps of the walk paint "
        "shapes that are no digit at all, or the picture jumps from one digit to another "
        "within a single step. The brothers only practised repainting the marks they had "
        "pinned: nothing in their training asked the empty wall between marks to mean "
        "anything, or neighbouring points to paint similar pictures. Add the three defects of "
        "the wall page (uneven areas, no centre and no bounds, gaps) and it is not even clear "
        "where to sample from.",
        "好的生成模型能把你采样到的任何点都变成像训练数据的东西。而在这里，许多滑块位置和直线上的许"
        "多"
        "步画出的根本不是数字，或者图像在一步之间就从一个数字跳到了另一个数字。兄弟俩只练习过重画自"
        "己"
        "钉过的标记：训练从没要求标记之间的空墙有什么意义，也没要求相邻的点画出相似的图。再加上“潜"
        "在"
        "空间之墙”页的三个缺陷（面积不均、没有中心也没有边界、空隙），我们甚至不知道该从哪里采样"
        "。"),
    "generation.normal.h": ("Sampling a VAE as the book does: from N(0, I)",
                            "像书中那样给 VAE 抽样：从 N(0, I) 中抽"),
    "generation.normal.text": (
        "The model in play is a variational autoencoder. Its KL term pulled N.Coder's patches "
        "towards the standard normal N(0, I), so that is where to sample: {n} codes drawn from "
        "N(0, I) ({z} numbers each), painted by D.Coder. (The wall page's red points are drawn "
        "uniformly from the box of the marks instead, the book's autoencoder experiment.)",
        "当前模型是一个变分自编码器。它的 KL 项把 N.Coder 的区域拉向标准正态分布 N(0, I)，"
        "所以就该从那里抽样：从 N(0, I) 中抽出 {n} 个编码（每个 {z} 个数），由 D.Coder 画出来。"
        "（“潜在空间之墙”页上的红点则是在标记所在的方框内均匀抽取的，也就是书中对自编码器做的实验。）"),
    "generation.normal.samples.title": ("{n} codes from N(0, I), painted",
                                        "从 N(0, I) 抽出的 {n} 个编码画出的画"),
    "generation.normal.grid": (
        "The book's analysis of its VAE: a {n} × {n} grid at the standard normal's quantiles "
        "0.01 to 0.99 on each axis (equal steps of probability, not of distance), top row = "
        "largest z₂.",
        "书中对 VAE 的分析：每个坐标轴取标准正态分布 0.01 到 0.99 的分位点，组成 {n} × {n} 的网格"
        "（按概率等分，而不是按距离等分），最上面一行是最大的 z₂。"),
    "generation.normal.grid.title": ("The grid over N(0, I), painted",
                                     "N(0, I) 上的网格画出的画"),
    "generation.vae.inplay": (
        "This model is the variational autoencoder. N.Coder pins a small fuzzy patch for each "
        "image (a mean mu and a spread for every coordinate), and D.Coder was trained to "
        "repaint from a random point of the patch; a second term of its loss (the KL "
        "divergence) fines patches far from the centre or too small, pulling them all towards "
        "N(0, I). Whether that cures the autoencoder's three defects is measured, not assumed: "
        "the wall page measures them for this model; pick an autoencoder in the sidebar to "
        "compare.",
        "这个模型就是变分自编码器。N.Coder 为每张图钉下一小块模糊的区域（每个坐标"
        "有一个均值 mu 和一个大小），D.Coder 在训练时要从区域中随机的一点重画"
        "；它的损失还有第二项（KL 散度），会惩罚离中心太远或太小的区域，把它们都拉向 "
        "N(0, I)。这是否治好了自编码器的三个缺陷，要靠测量，而不是假设：“潜在空间"
        "之墙”页为这个模型测量了它们；在侧边栏选一个自编码器来比较。"),
    "generation.vae.h": ("The bridge to the variational autoencoder",
                         "通往变分自编码器的桥梁"),
    "generation.vae": (
        "The variational autoencoder (VAE), the next step of the series, changes two things.\n\n"
        "1. **The encoder outputs a distribution, not a point.** For each image N.Coder now "
        "gives a small cloud: a mean and a spread for every coordinate. D.Coder must repaint "
        "from a random point drawn from that cloud, so every point *near* a mark has to paint "
        "the same digit. That is the continuity the autoencoder never had.\n"
        "2. **A second term in the loss pulls the clouds towards one standard normal "
        "distribution** centred at (0, 0) (the Kullback-Leibler divergence). Each of the "
        "three defects meets a force against it:\n"
        "   - *uneven areas*: all digits must share the same bell-shaped region, so no digit "
        "can spread over a huge stretch of wall while another gets a corner;\n"
        "   - *not symmetric, not bounded*: the target is centred on the origin and almost all "
        "of it lies within about three units, so we know where to sample: from the standard "
        "normal itself;\n"
        "   - *gaps*: the clouds overlap and fill the space between digits, so the points in "
        "between decode to digits or smooth blends, not noise.\n\n"
        "The price is a little more blur in the reconstructions, because D.Coder paints from "
        "a slightly random point. Generation gets much better in exchange.",
        "下一篇要讲的变分自编码器（VAE）改变了两件事。\n\n"
        "1. **编码器输出的是一个分布，而不是一个点。** 对每张图像，N.Coder 现在给出一小团“云”："
        "每个坐标的均值和离散程度。D.Coder 必须从这团云里随机抽取的一个点来重画，所以标记*附近*的"
        "每个点都得画出同一个数字。这正是自编码器从来没有的连续性。\n"
        "2. **损失函数里多了一项，把所有的云都拉向同一个以 (0, 0) 为中心的标准正态分布**"
        "（KL 散度）。三个缺陷各自遇到了一股反作用力：\n"
        "   - *面积不均*：所有数字必须共享同一个钟形区域，任何数字都不能占据一大片墙而让别的数字只"
        "分到"
        "一个角落；\n"
        "   - *不对称、无边界*：目标分布以原点为中心，几乎全部落在约 3 个单位之内，所以我们知道该从"
        "哪里"
        "采样：直接从标准正态分布采样；\n"
        "   - *空隙*：云彼此重叠，填满了数字之间的空间，所以中间的点会解码成数字或平滑的过渡，而不"
        "是噪声。\n\n"
        "代价是重建会稍微模糊一些，因为 D.Coder 是从一个略带随机的点作画的。换来的是好得多的生成"
        "效果。"),
}
