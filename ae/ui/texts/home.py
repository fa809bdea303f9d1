"""Texts of the home page: the gallery story."""

TEXTS = {
    "home.title": ("The gallery with one wall", "只有一面墙的画廊"),
    "home.intro": (
        "This dashboard walks through the convolutional autoencoder of *Generative Deep "
        "Learning*, chapter 3: handwritten digits squeezed into two numbers and painted back. "
        "Start with a story.",
        "这个仪表盘带你一步步了解《生成式深度学习》第 3 章中的卷积自编码器："
        "把手写数字压缩成两个数，"
        "再把它画回来。先从一个故事开始。"),
    "home.story.h": ("Two brothers and a wall", "兄弟俩和一面墙"),
    "home.story": (
        "Two brothers open a gallery that has a single empty wall and no room for paintings. "
        "**N.Coder** takes every painting that arrives, pins a small mark somewhere on the "
        "wall, and then throws the painting away. His brother **D.Coder** never sees a "
        "painting: when a visitor asks for one, he reads the position of its mark (two "
        "numbers, x and y) and paints the work again from nothing else.\n\n"
        "Visitors who get a bad copy want their ticket money back. Those refunds are the "
        "brothers' *loss*, and over years of practice they learn together where to pin each "
        "kind of painting and how to paint from a position, so that refunds fall. That "
        "practice is *training*.\n\n"
        "One day they try something new: D.Coder paints from spots on the wall where no mark "
        "was ever pinned. Many of those paintings are not recognisable at all. Why? This app "
        "lets you find out with real numbers.",
        "兄弟俩开了一家画廊，画廊只有一面空墙，没有地方挂画。**N.Coder**（编码器）收到每一幅画后，"
        "就在墙上某个位置钉一个小标记，然后把画扔掉。他的兄弟 **D.Coder**（解码器）从来看不到原画："
        "有参观者想看某幅画时，他只读出标记的位置（x 和 y 两个数），凭这两个数把画重新画出来。\n\n"
        "拿到糟糕复制品的参观者会要求退票。这些退款就是兄弟俩的*损失*。经过多年练习，"
        "他们一起学会了每类画该钉在哪里、怎样根据位置作画，于是退款越来越少。这种练习就是*训练*。\n\n"
        "有一天他们试了一件新事：D.Coder 在墙上从没钉过标记的地方作画。结果很多画根本认不出来。"
        "为什么？这个应用让你用真实的数字找到答案。"),
    "home.map.h": ("Who is who", "谁是谁"),
    "home.map": (
        "| in the story | in the network |\n|---|---|\n"
        "| a painting | a 28 x 28 image of a digit |\n"
        "| N.Coder pinning a mark | the **encoder**: image -> 2 numbers |\n"
        "| the wall | the 2-D **latent space** |\n"
        "| D.Coder repainting | the **decoder**: 2 numbers -> image |\n"
        "| ticket refunds | the **loss** (mean squared error per image) |\n"
        "| years of practice | **training** with Adam |",
        "| 故事里 | 网络里 |\n|---|---|\n"
        "| 一幅画 | 一张 28 x 28 的数字图像 |\n"
        "| N.Coder 钉标记 | **编码器**：图像 -> 2 个数 |\n"
        "| 那面墙 | 二维的**潜在空间** |\n"
        "| D.Coder 重新作画 | **解码器**：2 个数 -> 图像 |\n"
        "| 退票款 | **损失**（每张图的均方误差） |\n"
        "| 多年的练习 | 用 Adam **训练** |"),
    "home.pipeline.h": ("One painting's journey, with the model in play",
                        "用当前模型看一幅画的旅程"),
    "home.pipeline.caption": (
        "A test image goes in, the encoder pins it at ({x}, {y}), the decoder paints it "
        "back. Squared error: {mse:.4f}.",
        "一张测试图像输入，编码器把它钉在 ({x}, {y})，解码器再把它画回来。平方误差：{mse:.4f}。"),
    "home.pipeline.another": ("Another painting", "换一幅画"),
    "home.pipeline.in": ("image", "图像"),
    "home.pipeline.enc": ("encoder", "编码器"),
    "home.pipeline.wall": ("mark on the wall", "墙上的标记"),
    "home.pipeline.dec": ("decoder", "解码器"),
    "home.pipeline.out": ("repainted", "重画的图像"),
    "home.start.h": ("Quick start", "快速开始"),
    "home.start.arch": ("See the network", "看看网络结构"),
    "home.start.train": ("Train it live", "现场训练"),
    "home.start.wall": ("Explore the wall", "探索这面墙"),
    "home.start.gen": ("Generate digits", "生成数字"),
    "home.lesson": (
        "Suggested lesson: **Architecture** (what the two brothers are made of) -> **Training** "
        "(watch the loss fall) -> **Reconstructions** (how good are the copies?) -> **The "
        "latent wall** (the three defects, in numbers) -> **Generation** (why painting from "
        "empty spots fails, and what the variational autoencoder changes).",
        "建议的课堂顺序：**网络结构**（兄弟俩由什么构成）-> **训练**（看损失下降）-> **重建**"
        "（复制品有多好？）-> **潜在空间之墙**（用数字看三个缺陷）-> "
        "**生成**（为什么从空白处作画会失败，"
        "以及变分自编码器改变了什么）。"),
}
